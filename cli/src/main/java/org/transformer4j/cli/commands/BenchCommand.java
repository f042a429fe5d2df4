package org.transformer4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code t4j bench}: benchmarks, each a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: side by side on every backend, in one run.",
        subcommands = {OpsBenchCommand.class, TrainBenchCommand.class, DecodeBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
