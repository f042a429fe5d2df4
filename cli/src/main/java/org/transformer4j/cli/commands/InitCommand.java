package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.options.ModelOptions;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j init}: writes a freshly initialised model directory. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a freshly initialised model directory (config.json and model.safetensors): Xavier-uniform"
                + " matrices, zero biases, unit layer-norm gains, reproducible from --seed.")
public final class InitCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<ModelStore> store;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model directory to write.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite a model already in DIR.")
    boolean force;

    @Mixin
    ModelOptions options;

    @Override
    public void run() {
        TransformerConfig config = options.toConfig();
        if (!force && (Files.exists(out.resolve(ModelStore.WEIGHTS_FILE)) || Files.exists(out.resolve(ModelStore.CONFIG_FILE)))) {
            throw new CliException(ExitCodes.FAILURE, out + " already holds a model; choose another --out, or add --force to replace it");
        }
        ModelStore models = store.get();
        try (Transformer model = models.initialise(config, seed)) {
            models.save(model, out);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "wrote %s: %,d parameters (%s, %s)%n", out, model.parameterCount(),
                    ModelStore.CONFIG_FILE, ModelStore.WEIGHTS_FILE);
            w.flush();
        }
    }
}
