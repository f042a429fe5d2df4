package org.transformer4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.nn.Parameter;
import org.transformer4j.training.data.Augmentation;
import org.transformer4j.training.data.Batcher;
import org.transformer4j.training.data.Example;
import org.transformer4j.training.data.Examples;

/** The loop's promises: exact resumption, checkpoints kept and written on stop, early stopping, metrics. */
class TrainerTest {

    @TempDir
    Path dir;

    private Backend backend;
    private ModelStore store;
    private final TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(14).tgtVocabSize(14).build();
    private final List<Example> data = CopyTaskTest.sequences(400, 3);

    @BeforeEach
    void open() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
        store = new ModelStore(backend);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private TrainingOptions options(long maxSteps, int validEvery, int checkpointEvery, int keep, int patience) {
        // 2 batches accumulated per update, dropout on (tiny preset): everything that could break resumption.
        return new TrainingOptions(12 * 11, 2, 0.1f, 1.0, 50, 0.9f, 0.98f, 1e-9f, 1f, maxSteps, null, 0, 5,
                validEvery, checkpointEvery, keep, patience, 64);
    }

    private TrainingResult train(Path modelDir, TrainingOptions options, List<Example> validation,
            TrainingListener listener, java.util.function.BooleanSupplier stop) {
        return train(modelDir, options, validation, Augmentation.NONE, listener, stop);
    }

    private TrainingResult train(Path modelDir, TrainingOptions options, List<Example> validation, Augmentation augmentation,
            TrainingListener listener, java.util.function.BooleanSupplier stop) {
        var valid = validation.isEmpty() ? List.<org.transformer4j.training.data.Batch>of()
                : new Batcher(validation, 256, 0, 1, 2).inLengthOrder();
        return new Trainer(backend, store).train(new TrainingJob(modelDir, config, new Examples(data, data.size(), 0, 0),
                valid, options, null, augmentation), listener, stop);
    }

    /**
     * An augmentation is applied each epoch and depends on the seed and the epoch only, so a resumed run still trains
     * what an uninterrupted one does.
     */
    @Test
    void withAnAugmentationTwoNStepsEqualNStepsAndAResumedN() {
        int n = 15;
        // Each epoch moves every token of some pairs by the epoch number (mod the 11 ordinary ids), both sides alike.
        Augmentation shift = (examples, seed, epoch) -> examples.stream()
                .map(e -> (e.source()[0] + seed) % 2 == 0 ? e
                        : new Example(Arrays.stream(e.source()).map(t -> 3 + (t - 3 + epoch + 1) % 11).toArray(),
                                Arrays.stream(e.target()).map(t -> 3 + (t - 3 + epoch + 1) % 11).toArray()))
                .toList();
        train(dir.resolve("plain"), options(2 * n, 0, 1000, 2, 0), List.of(), new TrainingListener() { }, () -> false);
        train(dir.resolve("straight"), options(2 * n, 0, 1000, 2, 0), List.of(), shift, new TrainingListener() { },
                () -> false);
        train(dir.resolve("resumed"), options(n, 0, 1000, 2, 0), List.of(), shift, new TrainingListener() { }, () -> false);
        train(dir.resolve("resumed"), options(2 * n, 0, 1000, 2, 0), List.of(), shift, new TrainingListener() { },
                () -> false);
        try (Transformer plain = store.load(dir.resolve("plain")); Transformer a = store.load(dir.resolve("straight"));
                Transformer b = store.load(dir.resolve("resumed"))) {
            boolean augmentationChangedTraining = false;
            for (Parameter p : a.parameters().values()) {
                float[] weights = p.value().toFloatArray();
                assertArrayEquals(weights, b.parameters().get(p.name()).value().toFloatArray(), p.name());
                augmentationChangedTraining |= !Arrays.equals(weights,
                        plain.parameters().get(p.name()).value().toFloatArray());
            }
            assertTrue(augmentationChangedTraining, "the augmented run trained on other examples than the plain one");
        }
    }

    @Test
    void twoNStepsEqualNStepsAndAResumedN() {
        int n = 15; // 400 examples in batches of 12 and 2 batches per update: the epoch ends during the run
        train(dir.resolve("straight"), options(2 * n, 0, 1000, 2, 0), List.of(), new TrainingListener() { }, () -> false);
        train(dir.resolve("resumed"), options(n, 0, 1000, 2, 0), List.of(), new TrainingListener() { }, () -> false);
        List<String> notes = new ArrayList<>();
        TrainingResult second = train(dir.resolve("resumed"), options(2 * n, 0, 1000, 2, 0), List.of(), new TrainingListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        }, () -> false);
        assertEquals(2 * n, second.steps());
        assertTrue(notes.getFirst().startsWith("resuming from "), notes.toString());
        try (Transformer a = store.load(dir.resolve("straight")); Transformer b = store.load(dir.resolve("resumed"))) {
            for (Parameter p : a.parameters().values()) {
                assertArrayEquals(p.value().toFloatArray(), b.parameters().get(p.name()).value().toFloatArray(), p.name());
            }
        }
    }

    @Test
    void withAWeightAverageAndABudgetScheduleTwoNStepsEqualNStepsAndAResumedN() {
        int n = 15;
        java.util.function.LongFunction<TrainingOptions> options = steps -> options(steps, 0, 1000, 2, 0)
                .withSchedule(TrainingOptions.Schedule.LINEAR, 3e-3).withEma(0.99);
        List<Double> rates = new ArrayList<>();
        train(dir.resolve("straight"), options.apply(2 * n), List.of(), new TrainingListener() {
            @Override
            public void stepped(StepStats stats) {
                rates.add(stats.learningRate());
            }
        }, () -> false);
        // The same budget, interrupted after n updates (a smaller --max-steps would be another schedule), then resumed.
        AtomicInteger done = new AtomicInteger();
        train(dir.resolve("resumed"), options.apply(2 * n), List.of(), new TrainingListener() {
            @Override
            public void stepped(StepStats stats) {
                done.incrementAndGet();
            }
        }, () -> done.get() >= n);
        assertEquals(n, done.get());
        train(dir.resolve("resumed"), options.apply(2 * n), List.of(), new TrainingListener() { }, () -> false);
        // The saved model is the average, kept in every checkpoint and resumed with it: identical either way.
        Path lastCheckpoint = new CheckpointStore(dir.resolve("straight"), store).latest().orElseThrow();
        try (Transformer a = store.load(dir.resolve("straight")); Transformer b = store.load(dir.resolve("resumed"));
                Transformer average = store.load(CheckpointStore.averageOf(lastCheckpoint).orElseThrow());
                Transformer raw = store.load(lastCheckpoint)) {
            boolean averageDiffersFromWeights = false;
            for (Parameter p : a.parameters().values()) {
                float[] saved = p.value().toFloatArray();
                assertArrayEquals(saved, b.parameters().get(p.name()).value().toFloatArray(), p.name());
                assertArrayEquals(saved, average.parameters().get(p.name()).value().toFloatArray(), p.name());
                averageDiffersFromWeights |= !Arrays.equals(saved, raw.parameters().get(p.name()).value().toFloatArray());
            }
            assertTrue(averageDiffersFromWeights, "the saved model is the average, not the last weights");
        }
        assertEquals(3e-3 / 50, rates.getFirst(), 1e-12); // a ramp: warm-up is 50 updates, longer than this budget
        assertEquals(2 * n, rates.size());
    }

    @Test
    void aBudgetScheduleReachesItsPeakAtTheEndOfWarmUpAndEndsNearZero() {
        TrainingOptions o = new TrainingOptions(12 * 11, 1, 0.1f, 1.0, 5, 0.9f, 0.98f, 1e-9f, 1f, 25, null, 0, 5, 0, 1000,
                2, 0, 64).withSchedule(TrainingOptions.Schedule.LINEAR, 2e-3);
        List<Double> rates = new ArrayList<>();
        train(dir, o, List.of(), new TrainingListener() {
            @Override
            public void stepped(StepStats stats) {
                rates.add(stats.learningRate());
            }
        }, () -> false);
        assertEquals(25, rates.size());
        for (int step = 1; step <= 5; step++) {
            assertEquals(2e-3 * step / 5, rates.get(step - 1), 1e-12, "warm-up, step " + step);
        }
        // Warm-up ended at progress 4/25; update s sees progress (s − 1)/25, so q = (s − 5)/21 and the last is 1/21.
        for (int step = 6; step <= 25; step++) {
            assertEquals(2e-3 * (1 - (step - 5) / 21.0), rates.get(step - 1), 1e-12, "decay, step " + step);
        }
    }

    @Test
    void keepsTheLastCheckpointsAndTheBest() throws IOException {
        List<Example> validation = CopyTaskTest.sequences(20, 4);
        train(dir, options(12, 2, 2, 2, 0), validation, new TrainingListener() { }, () -> false);
        List<Path> kept = new CheckpointStore(dir, store).list();
        List<Long> steps = kept.stream().map(CheckpointStore::stepOf).toList();
        TrainingState last = CheckpointStore.readState(kept.getLast());
        assertEquals(12, last.step());
        assertTrue(steps.contains(10L) && steps.contains(12L), steps.toString());
        assertTrue(steps.size() == 2 || steps.size() == 3 && steps.contains(last.bestStep()), steps + " best " + last.bestStep());
        for (Path p : kept) {
            for (String f : List.of("config.json", "model.safetensors", "optimizer.safetensors", "state.json")) {
                assertTrue(Files.exists(p.resolve(f)), p + "/" + f);
            }
        }
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no temporary directories left");
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(12, lines.stream().filter(l -> l.contains("\"type\":\"train\"")).count());
        assertEquals(6, lines.stream().filter(l -> l.contains("\"type\":\"valid\"")).count());
        assertTrue(Files.exists(dir.resolve("model.safetensors")), "the best model is in the model directory");
    }

    @Test
    void aStopRequestEndsTheRunWithACheckpoint() {
        AtomicInteger steps = new AtomicInteger();
        TrainingResult r = train(dir, options(1000, 0, 1000, 2, 0), List.of(), new TrainingListener() {
            @Override
            public void stepped(StepStats stats) {
                steps.incrementAndGet();
            }
        }, () -> steps.get() >= 3);
        assertEquals(TrainingResult.StopReason.INTERRUPTED, r.reason());
        assertEquals(3, r.steps());
        assertEquals(3, CheckpointStore.stepOf(new CheckpointStore(dir, store).latest().orElseThrow()));
    }

    @Test
    void earlyStoppingAfterPatienceValidationsWithoutImprovement() {
        // Learning rate factor ~0: the model cannot improve, so after the first validation every one is worse or equal.
        TrainingOptions frozen = new TrainingOptions(12 * 11, 1, 0.1f, 1e-12, 50, 0.9f, 0.98f, 1e-9f, 0f, 100, null, 0, 5,
                1, 1000, 2, 2, 64);
        List<Boolean> best = new ArrayList<>();
        TrainingResult r = new Trainer(backend, store).train(new TrainingJob(dir, config, new Examples(data, data.size(), 0, 0),
                new Batcher(CopyTaskTest.sequences(20, 4), 256, 0, 1, 2).inLengthOrder(), frozen), new TrainingListener() {
                    @Override
                    public void validated(ValidationStats stats) {
                        best.add(stats.best());
                    }
                }, () -> false);
        assertEquals(TrainingResult.StopReason.EARLY_STOPPING, r.reason());
        assertTrue(best.getFirst());
        assertFalse(best.getLast());
        assertTrue(r.steps() < 100, "stopped at " + r.steps());
    }

    @Test
    void devBleuIsReportedAtItsIntervalAndAtTheEnd() throws IOException {
        List<Example> validation = CopyTaskTest.sequences(20, 4);
        DevBleu bleu = new DevBleu(validation.stream().map(Example::source).toList(),
                validation.stream().map(e -> words(e.target())).toList(), TrainerTest::words, 10);
        List<TrainingListener.ValidationStats> seen = new ArrayList<>();
        var valid = new Batcher(validation, 256, 0, 1, 2).inLengthOrder();
        Path model = dir.resolve("bleu");
        new Trainer(backend, store).train(new TrainingJob(model, config, new Examples(data, data.size(), 0, 0), valid,
                options(23, 5, 1000, 2, 0), bleu), new TrainingListener() {
                    @Override
                    public void validated(ValidationStats s) {
                        seen.add(s);
                    }
                }, () -> false);
        assertEquals(List.of(5L, 10L, 15L, 20L, 23L), seen.stream().map(TrainingListener.ValidationStats::step).toList());
        for (TrainingListener.ValidationStats s : seen) {
            boolean expected = s.step() % 10 == 0 || s.step() == 23;
            assertEquals(expected, !Double.isNaN(s.bleu()), "BLEU at step " + s.step());
            if (expected) {
                assertTrue(s.bleu() >= 0 && s.bleu() <= 100, "BLEU " + s.bleu());
            }
        }
        assertTrue(Files.readString(model.resolve("metrics.jsonl")).contains("\"bleu\""));
    }

    private static String words(int[] ids) {
        return String.join(" ", Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }

    @Test
    void averagingCheckpointsGivesTheMeanOfTheirWeights() {
        train(dir, options(6, 0, 2, 5, 0), List.of(), new TrainingListener() { }, () -> false);
        List<Path> last = CheckpointAverager.last(dir, 2, store);
        assertEquals(List.of(4L, 6L), last.stream().map(CheckpointStore::stepOf).toList());
        Path out = dir.resolve("averaged");
        CheckpointAverager.average(dir, last, out);
        try (Transformer a = store.load(last.get(0)); Transformer b = store.load(last.get(1)); Transformer avg = store.load(out)) {
            String name = "decoder.layers.0.ffn.fc1.weight";
            float[] x = a.parameters().get(name).value().toFloatArray();
            float[] y = b.parameters().get(name).value().toFloatArray();
            float[] m = avg.parameters().get(name).value().toFloatArray();
            for (int i = 0; i < m.length; i++) {
                assertEquals((x[i] + (double) y[i]) / 2, m[i], 1e-7);
            }
        }
    }
}
