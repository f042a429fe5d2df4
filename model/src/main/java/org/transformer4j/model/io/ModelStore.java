package org.transformer4j.model.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.transformer4j.api.Backend;
import org.transformer4j.model.ParameterLayout;
import org.transformer4j.model.ParameterSpec;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.Parameter;

import jakarta.inject.Inject;

/**
 * Reads and writes model directories: {@code config.json} ({@link ConfigJson}) and {@code model.safetensors}
 * ({@link SafeTensors}, tensor names and layouts of {@link ParameterLayout}), each written atomically.
 * Loading checks every name, shape and dtype against the configuration and reports all mismatches in one
 * error.
 */
public final class ModelStore {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";

    private final Backend backend;

    @Inject
    public ModelStore(Backend backend) {
        this.backend = backend;
    }

    /** A freshly initialised model (see {@link Transformer#initialise}). */
    public Transformer initialise(TransformerConfig config, long seed) {
        return Transformer.initialise(backend, config, seed);
    }

    /** Writes {@code model} into {@code dir} (created if needed): config.json, then model.safetensors. */
    public void save(Transformer model, Path dir) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve(CONFIG_FILE), ConfigJson.write(model.config(), backend.name()));
            List<SafeTensors.Source> sources = new ArrayList<>();
            for (Parameter p : model.parameters().values()) {
                sources.add(new SafeTensors.Source(p.name(), p.shape(), () -> backend.toHost(p.value())));
            }
            SafeTensors.write(dir.resolve(WEIGHTS_FILE), sources,
                    Map.of("format", "pt", "producer", "transformer4j " + ConfigJson.projectVersion()));
        } catch (IOException e) {
            throw new CheckpointException("cannot write the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads config.json of a model directory. */
    public static ConfigJson.Parsed readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " not found");
        }
        try {
            return ConfigJson.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new CheckpointException(dir + " is not a model directory: it has no " + CONFIG_FILE);
        } catch (MalformedInputException e) {
            throw new CheckpointException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads the model of {@code dir} onto this store's backend. */
    public Transformer load(Path dir) {
        TransformerConfig config = readConfig(dir).config();
        Path weights = dir.resolve(WEIGHTS_FILE);
        try (SafeTensors.Reader reader = SafeTensors.open(weights)) {
            checkAgainstLayout(weights, reader, ParameterLayout.of(config));
            return new Transformer(backend, config, spec -> reader.floats(spec.name()));
        }
    }

    /** Every missing, unexpected or misshapen tensor, in one message. */
    static void checkAgainstLayout(Path file, SafeTensors.Reader reader, List<ParameterSpec> layout) {
        List<String> problems = new ArrayList<>();
        Set<String> unexpected = new LinkedHashSet<>(reader.entries().keySet());
        for (ParameterSpec spec : layout) {
            SafeTensors.Entry e = reader.entries().get(spec.name());
            unexpected.remove(spec.name());
            if (e == null) {
                problems.add("missing " + spec.name() + " " + spec.shape());
            } else if (!e.shape().equals(spec.shape())) {
                problems.add(spec.name() + " has shape " + e.shape() + ", expected " + spec.shape());
            }
        }
        for (String name : unexpected) {
            problems.add("unexpected tensor " + name);
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file + " does not match its config.json (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "): " + String.join("; ", problems));
        }
    }
}
