package org.transformer4j.cli.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a benchmark command in fresh JVM processes, one after another, and collects their figures. Processes
 * differ: the JIT compiles the hot code its own way in each (inlining, intrinsics, on-stack replacement), and a
 * process keeps what it got for its whole life, so a figure from one process can be far from the next one's.
 *
 * <p>Each child is the same program started the same way: this process's {@code java} executable, its JVM
 * flags ({@code --add-modules}, {@code -Xmx}, {@code T4J_JAVA_OPTS}...), its class path or jar, and its
 * command line without {@code --forks}, plus the hidden {@value #CHILD_OPTION}, which makes the child measure
 * in itself and end its output with one line of JSON: its figures. Never two at once: on our 2-core machines
 * they would compete for the cores. A child that fails fails the whole run with the child's own error line;
 * a child still running when this process ends (Ctrl-C) is destroyed.
 */
public final class Forks {

    /** The hidden option that marks a child. */
    public static final String CHILD_OPTION = "--fork-child";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules";

    private Forks() {
    }

    /**
     * Runs {@code spec}'s command line in {@code options.forks} children and returns their figures, in order;
     * prints a line per child as it ends: its {@code summary} and how long it took.
     */
    public static <T> List<T> run(CommandSpec spec, ForkOptions options, Class<T> figures, Function<T, String> summary,
            PrintWriter out) {
        List<String> command = childCommand(spec);
        List<T> results = new ArrayList<>();
        for (int i = 1; i <= options.forks; i++) {
            long start = System.nanoTime();
            String name = "fork " + i + " of " + options.forks;
            T result = parse(runOne(command, name, options.showOutput ? out : null), figures, name);
            results.add(result);
            out.printf(Locale.ROOT, "%s: %s (%.1f s)%n", name, summary.apply(result), (System.nanoTime() - start) / 1e9);
            out.flush();
        }
        return results;
    }

    /** In a child: prints the figures as the one line of JSON the parent reads. */
    public static void report(Object figures, PrintWriter out) {
        try {
            out.println(JSON.writeValueAsString(figures));
            out.flush();
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the figures as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code java <this JVM's flags> -jar t4j.jar args...} or {@code ... -cp <class path> <main class> args...}. */
    static List<String> childCommand(CommandSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(() -> new CliException(ExitCodes.FAILURE,
                "--forks: cannot tell which java executable runs this process")));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            command.addAll(List.of("-jar", classPath)); // as ./t4j starts it: the manifest's attributes apply too
        } else {
            command.addAll(List.of("-cp", classPath, spec.root().userObject().getClass().getName()));
        }
        command.addAll(childArguments(spec.root().commandLine().getParseResult().originalArgs()));
        return command;
    }

    /** The arguments without the fork options ({@code --forks N}, {@code --forks=N}...), plus {@link #CHILD_OPTION}. */
    static List<String> childArguments(List<String> args) {
        List<String> child = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--forks")) {
                i++; // and its value
            } else if (!a.startsWith("--forks=") && !a.equals("--show-fork-output") && !a.startsWith("--show-fork-output=")
                    && !a.equals(CHILD_OPTION)) {
                child.add(a);
            }
        }
        child.add(CHILD_OPTION);
        return child;
    }

    /** Runs one child to its end and returns its line of JSON; {@code show}, when not null, gets its other output. */
    private static String runOne(List<String> command, String name, PrintWriter show) {
        Path errors = null;
        Process child = null;
        Thread destroyer = null;
        try {
            errors = Files.createTempFile("t4j-fork-", ".err");
            child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            destroyer = new Thread(child::destroy, "t4j fork destroyer");
            Runtime.getRuntime().addShutdownHook(destroyer);
            child.getOutputStream().close(); // a benchmark reads no input
            String json = null;
            try (BufferedReader lines = child.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("{")) {
                        json = line;
                    } else if (show != null) {
                        show.println("[" + name + "] " + line);
                        show.flush();
                    }
                }
            }
            int code = child.waitFor();
            if (code != 0 || json == null) {
                throw new CliException(code == ExitCodes.USAGE ? ExitCodes.USAGE : ExitCodes.FAILURE, name + " failed"
                        + (code != 0 ? " (exit code " + code + ")" : " (it printed no figures)") + ": "
                        + errorLine(Files.readAllLines(errors, StandardCharsets.UTF_8)));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, name + " interrupted");
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            if (destroyer != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(destroyer);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs (or ran) anyway
                }
            }
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }

    /** The child's own one-line error ({@code t4j: ...}, without the prefix), else its last line of stderr. */
    static String errorLine(List<String> stderr) {
        String error = null;
        String last = "no error message";
        for (String line : stderr) {
            if (line.startsWith("t4j: ")) {
                error = line.substring("t4j: ".length());
            } else if (!line.isBlank() && !line.startsWith(INCUBATOR_WARNING)) {
                last = line.strip();
            }
        }
        return error != null ? error : last;
    }

    /** The figures of a child, from its line of JSON. */
    private static <T> T parse(String json, Class<T> type, String name) {
        try {
            return JSON.readValue(json, type);
        } catch (JacksonException e) {
            throw new CliException(ExitCodes.FAILURE, name + " printed figures that cannot be read (" + e.getOriginalMessage()
                    + "): " + json);
        }
    }
}
