package org.transformer4j.spark;

import org.transformer4j.spark.executor.FaultInjection;
import org.transformer4j.spark.executor.ModelSpec;

/**
 * A score job: the model's log-probability of each target line given its source line, with teacher forcing, as
 * {@code t4j score}, for filtering a parallel corpus.
 *
 * @param source        UTF-8 text, one sentence per line
 * @param target        UTF-8 text aligned line by line with {@code source}
 * @param lengthPenalty α of the reported {@code score}, as {@code t4j score --length-penalty}
 * @param partitions    at least this many tasks; 0: as Spark splits the input
 * @param fault         null, or a failure to inject (tests)
 */
public record ScoreSpec(ModelSpec model, String source, String target, String output, OutputFormat format,
        boolean overwrite, int partitions, double lengthPenalty, FaultInjection fault) {
}
