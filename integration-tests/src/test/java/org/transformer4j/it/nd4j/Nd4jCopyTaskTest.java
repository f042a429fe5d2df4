package org.transformer4j.it.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.it.model.CopyTask;
import org.transformer4j.it.conformance.BackendsUnderTest;

/**
 * The {@link CopyTask} on the nd4j backend: its first 20 updates follow the cpu run's loss curve, it converges as
 * on cpu (95% of fresh sequences copied exactly, greedy with the key/value cache), and training holds no growing
 * memory: after every update the backend holds exactly what it held after the first (parameters, gradients, Adam
 * moments), libnd4j's own count of the native bytes it holds stays within {@value #NATIVE_ALLOWANCE} bytes of that
 * (nothing is left for ND4J's garbage-collector-driven deallocator), and everything returns to the baseline when
 * training ends. (CopyTaskTest's full recipe of 1200 updates takes about two minutes here on nd4j.)
 */
class Nd4jCopyTaskTest {

    /**
     * What libnd4j may hold at the end of an update beyond our tensors and what it held after update 20 (its
     * caches warm): measured 0; a single leaked activation of this model is 180 KB, a leaked bias 256 B per
     * update (120 KB over the run).
     */
    private static final long NATIVE_ALLOWANCE = 64L << 10;

    @TempDir
    Path dir;

    @Test
    void theTinyModelLearnsToCopyOnNd4jAsOnCpuAndHoldsNoGrowingMemory() {
        BackendsUnderTest.assumeAvailable("nd4j");

        CopyTask.Run cpu = CopyTask.cpuReference(dir.resolve("cpu"));
        try (Backend backend = Backends.open("nd4j", BackendOptions.threads(1))) {
            long baseline = backend.memory().inUse();
            long[] inUse = new long[CopyTask.STEPS];
            long[] beyond = new long[CopyTask.STEPS];
            CopyTask.Run nd4j = CopyTask.train(backend, dir.resolve("nd4j"), CopyTask.STEPS, i -> {
                inUse[i] = backend.memory().inUse();
                beyond[i] = Nd4j.getEnvironment().getDeviceCouner(0) - inUse[i];
            });

            double worstLoss = CopyTask.assertFollows(cpu, nd4j);
            System.out.printf("nd4j and cpu losses over the first %d updates differ by %.2g at most%n",
                    CopyTask.COMPARED_STEPS, worstLoss);
            assertTrue(nd4j.last() < nd4j.first() / 5, "loss " + nd4j.first() + " → " + nd4j.last());

            long steady = inUse[0];
            for (int i = 0; i < CopyTask.STEPS; i++) {
                assertEquals(steady, inUse[i], "memory held after update " + (i + 1));
            }
            long nativeSteady = beyond[20]; // after libnd4j's shape caches warmed up
            long worst = Arrays.stream(beyond).skip(20).max().orElseThrow();
            assertTrue(worst - nativeSteady <= NATIVE_ALLOWANCE, "libnd4j held " + (worst - nativeSteady)
                    + " bytes beyond the backend's tensors at some update");
            assertEquals(baseline, backend.memory().inUse(), "memory held after training");

            // greedy, incremental: the key/value cache on nd4j too
            CopyTask.Copies copies = CopyTask.copies(backend, dir.resolve("nd4j"), DecodingOptions.greedy());
            System.out.printf("nd4j: loss %.4f → %.4f, %d/%d copied exactly, %d symbols; held %,d B per update,"
                    + " libnd4j beyond tensors %,d..%,d B%n", nd4j.first(), nd4j.last(), copies.exact(),
                    CopyTask.TEST_SEQUENCES, copies.symbols(), steady, nativeSteady, worst);
            assertTrue(copies.exact() >= CopyTask.EXACT_NEEDED, "copied " + copies.exact() + " exactly");
            assertTrue(copies.symbols() >= CopyTask.SYMBOLS_NEEDED, "copied " + copies.symbols() + " symbols");
        }
    }
}
