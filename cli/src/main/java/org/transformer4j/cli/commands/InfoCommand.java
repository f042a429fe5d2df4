package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.transformer4j.cli.options.ModelOptions;
import org.transformer4j.model.io.ConfigJson;
import org.transformer4j.model.io.ModelStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j info}: a configuration and its parameter count, from a preset or a model directory. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a model's configuration and parameter count: of a saved model (--model DIR), or of a"
                + " preset with overrides (--preset base --vocab 37000 --tie-embeddings all).",
                "Reads no weights and needs no backend."})
public final class InfoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "A model directory (config.json, model.safetensors).")
    Path model;

    @Mixin
    ModelOptions options;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (model != null) {
            ConfigJson.Parsed parsed = ModelStore.readConfig(model);
            out.printf("%-16s %s (written by %s %s on %s)%n", "model", model, parsed.writtenBy().project(),
                    parsed.writtenBy().version(), parsed.writtenBy().backend());
            ModelSummary.print(out, parsed.config());
        } else {
            var config = options.toConfig();
            out.printf("%-16s %s preset%n", "model", presetName());
            ModelSummary.print(out, config);
        }
    }

    private String presetName() {
        return spec.findOption("--preset").getValue().toString();
    }
}
