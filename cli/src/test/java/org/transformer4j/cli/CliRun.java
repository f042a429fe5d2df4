package org.transformer4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code t4j} in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun of(String... args) {
        return of(Map.of(), args);
    }

    /** The error output, which must be a single line. */
    String errorLine() {
        String[] lines = err.strip().split("\n");
        if (lines.length != 1) {
            throw new AssertionError("expected one line on stderr, got:\n" + err);
        }
        return lines[0];
    }
}
