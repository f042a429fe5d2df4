package org.transformer4j.training;

import org.transformer4j.training.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.transformer4j.api.Shape;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.model.io.ConfigJson;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.io.SafeTensors;

/**
 * Averages the weights of several checkpoints into one model, as the paper does for its results ("the base
 * models ... averaging the last 5 checkpoints, which were written at 10-minute intervals"). Runs on the host
 * in float64, one tensor at a time; the checkpoints must share one configuration.
 */
public final class CheckpointAverager {

    private CheckpointAverager() {
    }

    /** The last {@code count} checkpoints of a model directory, oldest first. */
    public static List<Path> last(Path modelDirectory, int count, ModelStore store) {
        List<Path> all = new CheckpointStore(modelDirectory, store).list();
        if (all.isEmpty()) {
            throw new DataException(modelDirectory + " has no checkpoints to average (" + CheckpointStore.DIRECTORY + "/ is empty)");
        }
        if (count < 1) {
            throw new IllegalArgumentException("average at least 1 checkpoint, not " + count);
        }
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    /**
     * Writes the average of {@code checkpoints} to {@code out} ({@code config.json}, {@code model.safetensors},
     * and the vocabulary files of {@code modelDirectory}).
     */
    public static void average(Path modelDirectory, List<Path> checkpoints, Path out) {
        ConfigJson.Parsed first = ModelStore.readConfig(checkpoints.getFirst());
        for (Path c : checkpoints) {
            if (!ModelStore.readConfig(c).config().equals(first.config())) {
                throw new DataException(c + " has another configuration than " + checkpoints.getFirst() + ": cannot average them");
            }
        }
        List<SafeTensors.Reader> readers = new ArrayList<>();
        try {
            for (Path c : checkpoints) {
                readers.add(SafeTensors.open(c.resolve(ModelStore.WEIGHTS_FILE)));
            }
            Map<String, Shape> shapes = new LinkedHashMap<>();
            readers.getFirst().entries().forEach((name, e) -> shapes.put(name, e.shape()));
            List<SafeTensors.Source> sources = new ArrayList<>();
            for (Map.Entry<String, Shape> e : shapes.entrySet()) {
                sources.add(new SafeTensors.Source(e.getKey(), e.getValue(), () -> mean(readers, e.getKey())));
            }
            Files.createDirectories(out);
            AtomicFiles.writeString(out.resolve(ModelStore.CONFIG_FILE), ConfigJson.write(first.config(), first.writtenBy().backend()));
            SafeTensors.write(out.resolve(ModelStore.WEIGHTS_FILE), sources,
                    Map.of("format", "pt", "averaged_checkpoints", String.join(",", checkpoints.stream()
                            .map(p -> p.getFileName().toString()).toList())));
            copyVocabulary(modelDirectory, out);
        } catch (IOException e) {
            throw new DataException("cannot write the averaged model to " + out + ": " + e.getMessage(), e);
        } finally {
            readers.forEach(SafeTensors.Reader::close);
        }
    }

    private static float[] mean(List<SafeTensors.Reader> readers, String name) {
        double[] sum = null;
        for (SafeTensors.Reader r : readers) {
            float[] v = r.floats(name);
            if (sum == null) {
                sum = new double[v.length];
            } else if (v.length != sum.length) {
                throw new DataException("tensor " + name + " differs in size between checkpoints");
            }
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / readers.size());
        }
        return out;
    }

    /** Copies the tokenizer files (whatever their layout) next to the averaged weights. */
    private static void copyVocabulary(Path from, Path to) throws IOException {
        try (var files = Files.list(from)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("tokenizer")
                    && p.getFileName().toString().endsWith(".json")).toList()) {
                AtomicFiles.write(to.resolve(f.getFileName()), os -> Files.copy(f, os));
            }
        }
    }
}
