package org.transformer4j.spark.cli;

import java.nio.file.Path;
import java.util.Map;

import org.transformer4j.api.Backends;
import org.transformer4j.decoding.Translator;
import org.transformer4j.spark.OutputFormat;
import org.transformer4j.spark.executor.ModelSpec;

import picocli.CommandLine.Option;

/** The options both jobs take: where Spark runs, the model and its backend, the output. */
public final class SparkJobOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local-cluster[E,C,MiB] (E executor processes on this machine),"
                    + " spark://HOST:PORT, yarn, k8s://... (default: spark-submit's, else local[all processors] with"
                    + " one task at a time using every processor).")
    String master;

    @Option(names = {"-c", "--conf"}, paramLabel = "KEY=VALUE",
            description = "A Spark setting, e.g. -c spark.executor.memoryOverhead=1g; repeatable.")
    Map<String, String> conf;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model directory, readable by every executor (a shared path), or shipped with --ship-model.")
    Path model;

    @Option(names = "--ship-model",
            description = "Ship the model directory's files with the job (zipped, SparkContext.addArchive) instead of"
                    + " reading it in place on the executors.")
    boolean shipModel;

    @Option(names = "--output", paramLabel = "PATH", required = true,
            description = "Output directory (any Hadoop file system), written through Spark's output commit protocol.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (tab-separated, keyed by line number), parquet or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--overwrite", description = "Replace the output if it exists (else that is an error).")
    boolean overwrite;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "At least N tasks (a small or gzipped input is spread over N); 0: as Spark splits the input"
                    + " (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = Backends.DEFAULT,
            description = "Compute backend on the executors: cpu, nd4j or cuda (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Compute threads per task; 0: the task's CPUs, spark.task.cpus (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-B", "--backend-option"}, paramLabel = "KEY=VALUE",
            description = "A backend-specific setting, e.g. simd=false for cpu; repeatable.")
    Map<String, String> backendOptions;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Translator.DEFAULT_BATCH_SIZE,
            description = "Sentences decoded together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-source-len", paramLabel = "N", defaultValue = "" + Translator.DEFAULT_MAX_SOURCE_TOKENS,
            description = "Longer lines (in subwords) get an empty result and a counted warning (default:"
                    + " ${DEFAULT-VALUE}).")
    int maxSourceLength;

    ModelSpec modelSpec() {
        return new ModelSpec(model.toString(), shipModel, backend, backendOptions == null ? Map.of() : backendOptions,
                threads, batchSize, maxSourceLength);
    }

    Map<String, String> sparkSettings() {
        return conf == null ? Map.of() : conf;
    }

    OutputFormat outputFormat() {
        for (OutputFormat f : OutputFormat.values()) {
            if (f.sparkName().equals(format)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format must be text, parquet or json, not '" + format + "'");
    }
}
