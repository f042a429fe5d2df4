package org.transformer4j.spark.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.JobReport;
import org.transformer4j.spark.SetupChecks;
import org.transformer4j.spark.ScoreJob;
import org.transformer4j.spark.ScoreSpec;
import org.transformer4j.spark.executor.ModelHolder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j spark score}: {@code t4j score} of every line pair of a parallel corpus, on Spark. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a parallel corpus on Spark: per line, the target's log-probability given the source with"
                + " teacher forcing (as t4j score), its tokens (with <eos>), the score under --length-penalty and the"
                + " log-probability per token, keyed by line number."})
public final class ScoreSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--src", paramLabel = "PATH", required = true, description = "Source sentences, UTF-8, one per line.")
    String source;

    @Option(names = "--tgt", paramLabel = "PATH", required = true, description = "Target sentences, aligned with --src.")
    String target;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", defaultValue = "0",
            description = "GNMT length penalty of the score column, as t4j score: score = logprob / ((5 + tokens) /"
                    + " 6)^ALPHA (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Override
    public Integer call() {
        ScoreSpec s = new ScoreSpec(job.modelSpec(), source, target, job.output, job.outputFormat(), job.overwrite,
                job.partitions, lengthPenalty, null);
        new org.transformer4j.decoding.search.LengthPenalty(lengthPenalty); // validates before Spark starts
        SetupChecks.beforeSpark(s.model()); // a missing or mismatched model fails before Spark starts
        SparkSession spark = Sessions.open("t4j score", job.master, job.sparkSettings());
        try {
            JobReport report = ScoreJob.run(spark, s);
            Reports.print("scored", report, spec.commandLine().getErr());
            return 0;
        } finally {
            spark.stop();
            ModelHolder.closeAll();
        }
    }
}
