package org.transformer4j.it.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.Availability;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.SequenceDecoder;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.Trainer;
import org.transformer4j.training.TrainingJob;
import org.transformer4j.training.TrainingListener;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.training.TrainingResult;
import org.transformer4j.training.data.Example;
import org.transformer4j.training.data.Examples;

/**
 * The copy task of "The Annotated Transformer" (as the training module's CopyTaskTest runs it on cpu) on the
 * nd4j backend. Its first 20 updates must follow the cpu run's loss curve: the data, the initialisation and
 * the dropout masks are the same by definition, only float32 rounding differs, so the curves agree until that
 * rounding, amplified by training, shows. And it must converge as on cpu: with a shorter warm-up (200 updates)
 * and 500 updates, the cpu backend copies 195 to 200 of 200 fresh sequences exactly and at least 99.7% of
 * their symbols (measured over seeds 1 to 5); nd4j must copy 95% of the sequences exactly and 99% of the
 * symbols. (CopyTaskTest's full recipe of 1200 updates takes about two minutes here on nd4j.)
 *
 * <p>The same run proves that training holds no growing memory: after every update the backend holds
 * exactly what it held after the first (parameters, gradients, Adam moments), libnd4j's own count of the
 * native bytes it holds stays within {@value #NATIVE_ALLOWANCE} bytes of that (nothing is left for ND4J's
 * garbage-collector-driven deallocator), and everything returns to the baseline when training ends.
 */
class Nd4jCopyTaskTest {

    private static final int FIRST_SYMBOL = 4;
    private static final int SYMBOLS = 10;
    private static final int LENGTH = 10;
    private static final int STEPS = 500;
    private static final int WARMUP = 200;
    private static final int COMPARED_STEPS = 20;
    /**
     * Loss per token of the two backends over the first 20 updates, while it falls from 3.26 to about 2.4.
     * Float32 rounding differences grow with training: over the first 30 updates the curves agreed within 4e-8
     * in a JVM of their own and parted by 1e-5 at update 25 in the full test run (other tests before it in the
     * same JVM); around update 50 they part by 1e-3, and then go their own, equally good, ways.
     */
    private static final double LOSS_TOLERANCE = 1e-3;
    /**
     * What libnd4j may hold at the end of an update beyond our tensors and what it held after update 20 (its
     * caches warm): measured 0; a single leaked activation of this model is 180 KB, a leaked bias 256 B per
     * update (120 KB over the run).
     */
    private static final long NATIVE_ALLOWANCE = 64L << 10;

    @TempDir
    Path dir;

    static List<Example> sequences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] s = r.ints(LENGTH, FIRST_SYMBOL, FIRST_SYMBOL + SYMBOLS).toArray();
            out.add(new Example(s, s.clone()));
        }
        return out;
    }

    private static TrainingOptions options(long steps) {
        return new TrainingOptions(64 * (LENGTH + 1), 1, 0.0f, 1.0, WARMUP, 0.9f, 0.98f, 1e-9f, 0f, steps, null, 0, 7, 0,
                100_000, 1, 0, 64);
    }

    private static TransformerConfig config() {
        return TransformerConfig.builder("tiny").srcVocabSize(FIRST_SYMBOL + SYMBOLS).tgtVocabSize(FIRST_SYMBOL + SYMBOLS).build();
    }

    /** Per-step figures of a run. */
    private record Run(double[] loss, long[] inUse, long[] nativeBeyondTensors) {
    }

    private static Run train(Backend backend, Path modelDir, long steps, boolean countNative) {
        List<Example> data = sequences(20_000, 1);
        double[] loss = new double[(int) steps];
        long[] inUse = new long[(int) steps];
        long[] beyond = new long[(int) steps];
        TrainingResult result = new Trainer(backend, new ModelStore(backend)).train(
                new TrainingJob(modelDir, config(), new Examples(data, data.size(), 0, 0), List.of(), options(steps)),
                new TrainingListener() {
                    @Override
                    public void stepped(StepStats s) {
                        int i = (int) s.step() - 1;
                        loss[i] = s.loss();
                        inUse[i] = backend.memory().inUse();
                        beyond[i] = countNative ? Nd4j.getEnvironment().getDeviceCouner(0) - inUse[i] : 0;
                    }
                }, () -> false);
        assertEquals(TrainingResult.StopReason.MAX_STEPS, result.reason());
        return new Run(loss, inUse, beyond);
    }

    @Test
    void theTinyModelLearnsToCopyOnNd4jAsOnCpuAndHoldsNoGrowingMemory() {
        Availability availability = Backends.provider("nd4j").availability();
        assumeTrue(availability.available(), () -> "backend nd4j is not available here: " + availability.reason());

        Run cpu;
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            cpu = train(backend, dir.resolve("cpu"), COMPARED_STEPS, false);
        }
        try (Backend backend = Backends.open("nd4j", BackendOptions.threads(1))) {
            long baseline = backend.memory().inUse();
            Run nd4j = train(backend, dir.resolve("nd4j"), STEPS, true);

            double worstLoss = 0;
            for (int i = 0; i < COMPARED_STEPS; i++) {
                assertEquals(cpu.loss()[i], nd4j.loss()[i], LOSS_TOLERANCE, "loss of update " + (i + 1));
                worstLoss = Math.max(worstLoss, Math.abs(cpu.loss()[i] - nd4j.loss()[i]));
            }
            System.out.printf("nd4j and cpu losses over the first %d updates differ by %.2g at most%n", COMPARED_STEPS, worstLoss);
            assertTrue(nd4j.loss()[STEPS - 1] < nd4j.loss()[0] / 5, "loss " + nd4j.loss()[0] + " → " + nd4j.loss()[STEPS - 1]);

            long steady = nd4j.inUse()[0];
            for (int i = 0; i < STEPS; i++) {
                assertEquals(steady, nd4j.inUse()[i], "memory held after update " + (i + 1));
            }
            long nativeSteady = nd4j.nativeBeyondTensors()[20]; // after libnd4j's shape caches warmed up
            long worst = Arrays.stream(nd4j.nativeBeyondTensors()).skip(20).max().orElseThrow();
            assertTrue(worst - nativeSteady <= NATIVE_ALLOWANCE, "libnd4j held " + (worst - nativeSteady)
                    + " bytes beyond the backend's tensors at some update");
            assertEquals(baseline, backend.memory().inUse(), "memory held after training");

            try (Transformer model = new ModelStore(backend).load(dir.resolve("nd4j"))) {
                List<int[]> sources = sequences(200, 99).stream().map(Example::source).toList();
                // greedy, incremental: the key/value cache on nd4j too
                List<int[]> outputs = new SequenceDecoder(model).decode(sources, DecodingOptions.greedy().withMaxLength(1, 5))
                        .stream().map(n -> n.getFirst().tokens()).toList();
                int exact = 0;
                int symbols = 0;
                for (int i = 0; i < sources.size(); i++) {
                    int[] in = sources.get(i);
                    int[] out = outputs.get(i);
                    exact += Arrays.equals(in, out) ? 1 : 0;
                    for (int j = 0; j < Math.min(in.length, out.length); j++) {
                        symbols += in[j] == out[j] ? 1 : 0;
                    }
                }
                System.out.printf("nd4j: loss %.4f → %.4f, %d/200 copied exactly, %d/2000 symbols; held %,d B per update,"
                        + " libnd4j beyond tensors %,d..%,d B%n", nd4j.loss()[0], nd4j.loss()[STEPS - 1], exact, symbols,
                        steady, nativeSteady, worst);
                assertTrue(exact >= 190, "copied " + exact + " of " + sources.size() + " exactly");
                assertTrue(symbols >= 1980, "copied " + symbols + " of " + sources.size() * LENGTH + " symbols");
            }
        }
    }
}
