package org.transformer4j.spark;

import java.util.List;

/**
 * What a finished job did, from its accumulators (updates of failed task attempts are not counted, so a retried
 * partition counts once).
 *
 * @param lines             results written, one per input line
 * @param partitions        tasks of the job's final stage
 * @param invalidUtf8       lines left empty because they are not UTF-8
 * @param tooLong           lines left empty because they have more subwords than {@code --max-source-len}
 * @param failed            lines left empty because decoding them failed even alone
 * @param modelLoads        models loaded by the processes that ran the tasks (one per JVM and model; counted since
 *                          each JVM started, or last emptied its holder)
 * @param executors         the processes that ran tasks, as {@code pid@host}, each once
 * @param peakBackendBytes  the largest peak of a model's backend memory (native for cpu), over the executors
 * @param peakResidentBytes the largest peak resident set of an executor process (Linux; -1 elsewhere)
 * @param seconds           wall time of the job, reading to committing
 */
public record JobReport(long lines, int partitions, long invalidUtf8, long tooLong, long failed, long modelLoads,
        List<String> executors, long peakBackendBytes, long peakResidentBytes, double seconds) {

    public JobReport {
        executors = List.copyOf(executors);
    }

    /** Lines that got an empty result and a warning. */
    public long badLines() {
        return invalidUtf8 + tooLong + failed;
    }
}
