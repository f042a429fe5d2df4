package org.transformer4j.spark;

import java.util.List;
import java.util.Locale;

/**
 * One line for a failed job. An executor that ran out of memory is named as such: Spark's memory manager does not
 * see the model's native memory, so the usual cause is a {@code spark.executor.memoryOverhead} below the model's
 * peak, and the cluster manager reports it in its own words (a JVM {@code OutOfMemoryError}, Spark's exit code 52,
 * YARN's "exceeding physical memory limits", Kubernetes' exit code 137 or {@code OOMKilled}).
 */
public final class FailureDiagnosis {

    private static final List<String> OUT_OF_MEMORY_SIGNS = List.of("outofmemoryerror", "exit code 52",
            "exited with code 52", "exceeding physical memory limits", "exceeding memory limits", "exit code 137",
            "oomkilled", "possible container oom", "out of memory");

    private FailureDiagnosis() {
    }

    /** Whether {@code failure} (or any of its causes) says that memory ran out. */
    public static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (OUT_OF_MEMORY_SIGNS.stream().anyMatch(m::contains)) {
                return true;
            }
        }
        return false;
    }

    /** The line to show for a job that failed with {@code failure}. */
    public static String describe(Throwable failure) {
        if (outOfMemory(failure)) {
            return "an executor ran out of memory (" + firstLine(rootCause(failure)) + "): the model's tensors live in"
                    + " native memory, outside the Java heap that Spark manages; raise spark.executor.memoryOverhead to"
                    + " at least the peak a successful run reports (docs/spark.md), or lower --batch-size";
        }
        return "the Spark job failed: " + firstLine(rootCause(failure));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
