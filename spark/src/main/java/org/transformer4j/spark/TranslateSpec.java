package org.transformer4j.spark;

import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.spark.executor.FaultInjection;
import org.transformer4j.spark.executor.ModelSpec;

/**
 * A translate job: the same decoding as {@code t4j translate} with the same options, over a corpus.
 *
 * @param partitions at least this many tasks (a smaller input is spread over this many partitions); 0: as Spark
 *                   splits the input
 * @param fault      null, or a failure to inject (tests)
 */
public record TranslateSpec(ModelSpec model, InputSpec input, String output, OutputFormat format, boolean overwrite,
        int partitions, DecodingOptions decoding, FaultInjection fault) {
}
