package org.transformer4j.spark.executor;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The accumulators of one job, registered on the driver and updated by its tasks. Spark merges the updates of a
 * task attempt only when it succeeds, so a retried partition counts once.
 */
public final class JobCounters implements Serializable {

    final LongAccumulator lines;
    final LongAccumulator invalidUtf8;
    final LongAccumulator tooLong;
    final LongAccumulator failed;
    /** Per successful task, {@code "pid@host loads"}: its process and the models that process has loaded. */
    final CollectionAccumulator<String> executors;
    final MaxAccumulator peakBackendBytes;
    final MaxAccumulator peakResidentBytes;

    public JobCounters(SparkContext sc) {
        lines = sc.longAccumulator("t4j lines");
        invalidUtf8 = sc.longAccumulator("t4j lines not UTF-8");
        tooLong = sc.longAccumulator("t4j lines too long");
        failed = sc.longAccumulator("t4j lines failed");
        executors = sc.collectionAccumulator("t4j executor processes");
        peakBackendBytes = new MaxAccumulator();
        sc.register(peakBackendBytes, "t4j peak backend memory");
        peakResidentBytes = new MaxAccumulator();
        sc.register(peakResidentBytes, "t4j peak resident memory");
    }

    public long lines() {
        return lines.value();
    }

    public long invalidUtf8() {
        return invalidUtf8.value();
    }

    public long tooLong() {
        return tooLong.value();
    }

    public long failed() {
        return failed.value();
    }

    /** Models loaded by the processes that ran tasks: per process the most it reported, summed. */
    public long modelLoads() {
        Map<String, Long> most = new TreeMap<>();
        for (String report : executors.value()) {
            int space = report.lastIndexOf(' ');
            most.merge(report.substring(0, space), Long.parseLong(report.substring(space + 1)), Math::max);
        }
        return most.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The processes that ran tasks, {@code pid@host}, each once, sorted. */
    public List<String> executors() {
        return executors.value().stream().map(r -> r.substring(0, r.lastIndexOf(' '))).distinct().sorted().toList();
    }

    public long peakBackendBytes() {
        return peakBackendBytes.value();
    }

    public long peakResidentBytes() {
        return peakResidentBytes.value();
    }
}
