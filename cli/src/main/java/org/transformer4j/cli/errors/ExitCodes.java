package org.transformer4j.cli.errors;

/** The exit codes of {@code t4j}, documented in docs/cli.md. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** The work failed: bad input data, an unavailable backend, a corrupt file, out of memory... */
    public static final int FAILURE = 1;
    /** The command line or config file is wrong: unknown option or backend, bad value. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
