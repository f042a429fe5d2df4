package org.transformer4j.spark.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.transformer4j.api.BackendException;
import org.transformer4j.api.UnknownBackendException;
import org.transformer4j.model.io.CheckpointException;
import org.transformer4j.spark.FailureDiagnosis;
import org.transformer4j.spark.JobSetupException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code t4j spark}: the Spark jobs' command line and composition root (the backend is chosen by name on each
 * executor). The main class of the job jar, for {@code spark-submit}, and of {@code ./t4j spark}. Exit codes as
 * {@code t4j}: 0 done, 1 the job failed or cannot start, 2 the command line is wrong.
 */
@Command(name = "t4j spark", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "transformer4j on Apache Spark: translate or score a corpus on a cluster, or in an embedded local"
                + " Spark.",
        footer = {"", "Exit codes: 0 done, 1 failed (bad setup, failed job), 2 bad command line."},
        subcommands = {TranslateSparkCommand.class, ScoreSparkCommand.class, HelpCommand.class})
public final class T4jSpark implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs one command line and returns its exit code; the seam the tests use. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--stacktrace")).toArray(String[]::new);
        CommandLine cli = new CommandLine(new T4jSpark());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("t4j spark: " + e.getMessage());
            err.flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> report(e, err, stacktrace));
        try {
            int code = cli.execute(rest);
            out.flush();
            return code;
        } catch (RuntimeException | Error e) { // an Error (out of memory...) passes picocli's handler by
            return report(e, err, stacktrace);
        }
    }

    static int report(Throwable e, PrintWriter err, boolean stacktrace) {
        err.println("t4j spark: " + message(e));
        if (stacktrace) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof IllegalArgumentException || e instanceof UnknownBackendException ? 2 : 1;
    }

    static String message(Throwable e) {
        if (e instanceof JobSetupException || e instanceof CheckpointException || e instanceof BackendException
                || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return FailureDiagnosis.describe(e);
    }
}
