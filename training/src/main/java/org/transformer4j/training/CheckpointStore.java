package org.transformer4j.training;

import org.transformer4j.training.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.io.SafeTensors;
import org.transformer4j.training.optim.Adam;

/**
 * The checkpoints of a model directory, {@code checkpoints/step-NNNNNNNN/}, each holding the weights
 * ({@code config.json}, {@code model.safetensors}), the optimiser state ({@code optimizer.safetensors}) and
 * the run's position ({@code state.json}). A checkpoint is written into a hidden temporary directory and
 * renamed into place, so a crash never leaves a half-written one. Only the last K and the best are kept.
 */
public final class CheckpointStore {

    public static final String DIRECTORY = "checkpoints";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "state.json";
    /** The subdirectory with the weight average ({@code --ema}), a model directory of its own. */
    public static final String AVERAGE_DIRECTORY = "ema";
    private static final Pattern NAME = Pattern.compile("step-(\\d{8,})");

    private final Path root;
    private final ModelStore models;

    public CheckpointStore(Path modelDirectory, ModelStore models) {
        this.root = modelDirectory.resolve(DIRECTORY);
        this.models = models;
    }

    /** The checkpoint directories, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    public static long stepOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new DataException(checkpoint + " is not a checkpoint directory (step-NNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    /** Writes a checkpoint atomically and removes those no longer kept. Returns its directory. */
    public Path write(Transformer model, Adam optimizer, TrainingState state, int keepLast) {
        return write(model, null, optimizer, state, keepLast);
    }

    /**
     * Writes a checkpoint atomically, with the weight average ({@code average}, may be null) in its {@code ema}
     * subdirectory, and removes those no longer kept. Returns its directory.
     */
    public Path write(Transformer model, Transformer average, Adam optimizer, TrainingState state, int keepLast) {
        String name = String.format("step-%08d", state.step());
        Path target = root.resolve(name);
        Path tmp = root.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(root);
            deleteTree(tmp);
            models.save(model, tmp);
            if (average != null) {
                models.save(average, tmp.resolve(AVERAGE_DIRECTORY));
            }
            Backend backend = model.backend();
            List<SafeTensors.Source> sources = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : optimizer.state().entrySet()) {
                Tensor t = e.getValue();
                sources.add(new SafeTensors.Source(e.getKey(), t.shape(), () -> backend.toHost(t)));
            }
            SafeTensors.write(tmp.resolve(OPTIMIZER_FILE), sources, Map.of("adam_steps", Long.toString(optimizer.steps())));
            AtomicFiles.writeString(tmp.resolve(STATE_FILE), state.toJson());
            deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException e) {
            throw new DataException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
        prune(keepLast, state.bestStep());
        return target;
    }

    /** Keeps the last {@code keepLast} checkpoints and the one of {@code bestStep}. */
    private void prune(int keepLast, long bestStep) {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            if (stepOf(all.get(i)) != bestStep) {
                try {
                    deleteTree(all.get(i));
                } catch (IOException e) {
                    throw new DataException("cannot remove old checkpoint " + all.get(i) + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The weight average kept in a checkpoint, if the run kept one. */
    public static Optional<Path> averageOf(Path checkpoint) {
        Path dir = checkpoint.resolve(AVERAGE_DIRECTORY);
        return Files.exists(dir.resolve(ModelStore.WEIGHTS_FILE)) ? Optional.of(dir) : Optional.empty();
    }

    /** Reads a checkpoint's run position. */
    public static TrainingState readState(Path checkpoint) {
        Path file = checkpoint.resolve(STATE_FILE);
        try {
            return TrainingState.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint's optimiser state: moments by name, and the number of updates. */
    public static Map<String, float[]> readOptimizer(Path checkpoint, long[] steps) {
        Map<String, float[]> state = new LinkedHashMap<>();
        try (SafeTensors.Reader reader = SafeTensors.open(checkpoint.resolve(OPTIMIZER_FILE))) {
            for (String name : reader.entries().keySet()) {
                state.put(name, reader.floats(name));
            }
            steps[0] = Long.parseLong(reader.metadata().getOrDefault("adam_steps", "0"));
        }
        return state;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
