package org.transformer4j.cli.errors;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import org.transformer4j.api.BackendException;
import org.transformer4j.api.UnknownBackendException;
import org.transformer4j.model.io.CheckpointException;
import org.transformer4j.training.data.DataException;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;

import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr ({@code t4j: <what went wrong>}) and an exit code; the stack
 * trace only with {@code --stacktrace}. Users see what to fix, never a bare trace.
 */
public final class Errors {

    private Errors() {
    }

    public static int report(Throwable failure, PrintWriter err, boolean stacktrace) {
        Throwable e = unwrap(failure);
        err.println("t4j: " + message(e));
        if (stacktrace) {
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    /** Removes the wrappers that only say where a failure passed through (picocli, Guice). */
    public static Throwable unwrap(Throwable e) {
        while (e.getCause() != null && (e instanceof CommandLine.ExecutionException
                || e instanceof ProvisionException || e instanceof CreationException
                || e instanceof UncheckedIOException && e.getMessage() == null)) {
            e = e.getCause();
        }
        if (e instanceof ProvisionException || e instanceof CreationException) {
            // Guice keeps the original exception among its messages when it has no single cause.
            Throwable cause = e.getCause();
            if (cause != null) {
                return unwrap(cause);
            }
        }
        return e;
    }

    static String message(Throwable e) {
        if (e instanceof CliException || e instanceof BackendException || e instanceof IllegalArgumentException
                || e instanceof CheckpointException || e instanceof DataException
                || e instanceof CommandLine.ParameterException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException nsf) {
            return "file not found: " + nsf.getFile();
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return "I/O error: " + e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "): use a smaller batch (--batch-tokens) or model; if the"
                    + " Java heap ran out, give it more with T4J_JAVA_OPTS=-Xmx4g";
        }
        return "internal error: " + e + " (run with --stacktrace and report it)";
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof UnknownBackendException || e instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }
}
