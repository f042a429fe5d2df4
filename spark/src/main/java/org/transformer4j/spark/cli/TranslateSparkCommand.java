package org.transformer4j.spark.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.spark.InputSpec;
import org.transformer4j.spark.JobReport;
import org.transformer4j.spark.SetupChecks;
import org.transformer4j.spark.TranslateJob;
import org.transformer4j.spark.TranslateSpec;
import org.transformer4j.spark.executor.ModelHolder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j spark translate}: {@code t4j translate} over a corpus, on Spark. */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Translate a corpus on Spark: one result per input line, keyed by line number, as t4j translate"
                + " gives it with the same model and options.",
                "A line that is not UTF-8, too long or failing gets an empty result and a counted warning."})
public final class TranslateSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "UTF-8 text, one sentence per line (a file, directory or glob; .gz is read), or Parquet with"
                    + " --input-format parquet.")
    String input;

    @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or parquet (default: ${DEFAULT-VALUE}).")
    String inputFormat;

    @Option(names = "--id-column", paramLabel = "NAME", defaultValue = "id",
            description = "Parquet: the integral column that keys each row (default: ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--text-column", paramLabel = "NAME", defaultValue = "text",
            description = "Parquet: the text to translate (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Mixin
    DecodingOptionsMixin decoding;

    @Override
    public Integer call() {
        DecodingOptions options = decoding.toOptions();
        InputSpec in = switch (inputFormat) {
            case "text" -> InputSpec.text(input);
            case "parquet" -> InputSpec.parquet(input, idColumn, textColumn);
            default -> throw new IllegalArgumentException("--input-format must be text or parquet, not '" + inputFormat
                    + "'");
        };
        TranslateSpec s = new TranslateSpec(job.modelSpec(), in, job.output, job.outputFormat(), job.overwrite,
                job.partitions, options, null);
        SetupChecks.beforeSpark(s.model()); // a missing or mismatched model fails before Spark starts
        SparkSession spark = Sessions.open("t4j translate", job.master, job.sparkSettings());
        try {
            JobReport report = TranslateJob.run(spark, s);
            Reports.print("translated", report, spec.commandLine().getErr());
            return 0;
        } finally {
            spark.stop();
            ModelHolder.closeAll();
        }
    }
}
