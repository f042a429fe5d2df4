package org.transformer4j.cli.commands;

import java.nio.file.Path;
import java.util.List;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.CheckpointAverager;
import org.transformer4j.training.CheckpointStore;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j average}: averages the last checkpoints of a run into one model, as the paper does. */
@Command(name = "average", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Average the weights of the last checkpoints of a model directory into a new model directory"
                + " (the paper averages the last 5 checkpoints for its base results).")
public final class AverageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<ModelStore> store;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A trained model directory.")
    Path model;

    @Option(names = "--last", paramLabel = "N", defaultValue = "5",
            description = "How many of the latest checkpoints to average (default: ${DEFAULT-VALUE}).")
    int last;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model directory to write.")
    Path out;

    @Override
    public void run() {
        if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new CliException(ExitCodes.USAGE, "--out must differ from --model: averaging never overwrites the run");
        }
        List<Path> checkpoints = CheckpointAverager.last(model, last, store.get());
        CheckpointAverager.average(model, checkpoints, out);
        spec.commandLine().getOut().printf("averaged %d checkpoints (steps %s) into %s%n", checkpoints.size(),
                String.join(", ", checkpoints.stream().map(p -> Long.toString(CheckpointStore.stepOf(p))).toList()), out);
        spec.commandLine().getOut().flush();
    }
}
