package org.transformer4j.cli.bench;

import picocli.CommandLine.Option;

/** The options of a benchmark that can measure in fresh processes ({@link Forks}); a picocli mixin. */
public final class ForkOptions {

    @Option(names = "--forks", paramLabel = "N", defaultValue = "0",
            description = "Measure in N fresh JVM processes, one after another, and print each one's figures and their"
                    + " min, median and max; 0 measures in this process (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--show-fork-output", description = "With --forks: also print each process's own full report.")
    boolean showOutput;

    /** Set by the parent on the command line of its children; they measure in themselves and report in JSON. */
    @Option(names = Forks.CHILD_OPTION, hidden = true)
    boolean child;

    /** True when this process should start the processes that measure, rather than measure itself. */
    public boolean startsForks() {
        if (forks < 0) {
            throw new IllegalArgumentException("--forks must be 0 (measure in this process) or more, not " + forks);
        }
        return forks > 0 && !child;
    }

    /** True in a process started by {@link Forks}: it ends its output with a line of JSON. */
    public boolean isChild() {
        return child;
    }
}
