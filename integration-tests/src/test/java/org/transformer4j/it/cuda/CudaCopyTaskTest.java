package org.transformer4j.it.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.it.model.CopyTask;
import org.transformer4j.it.conformance.BackendsUnderTest;

/**
 * The {@link CopyTask} on the cuda backend (skipped, with the provider's reason, where there is no GPU): its first
 * 20 updates follow the cpu run's loss curve, it converges as on cpu, both greedy decoding and beam search (top-k
 * on the device) copy fresh sequences, and device memory holds nothing that grows: the same bytes after every
 * update, and the baseline again once training and decoding end.
 */
class CudaCopyTaskTest {

    @TempDir
    Path dir;

    @Test
    void theTinyModelLearnsToCopyOnCudaAsOnCpuAndDeviceMemoryReturnsToItsBaseline() {
        BackendsUnderTest.assumeAvailable("cuda");

        CopyTask.Run cpu = CopyTask.cpuReference(dir.resolve("cpu"));
        try (Backend backend = Backends.open("cuda", BackendOptions.defaults())) {
            long baseline = backend.memory().inUse();
            long[] inUse = new long[CopyTask.STEPS];
            CopyTask.Run cuda = CopyTask.train(backend, dir.resolve("cuda"), CopyTask.STEPS,
                    i -> inUse[i] = backend.memory().inUse());

            double worstLoss = CopyTask.assertFollows(cpu, cuda);
            assertTrue(cuda.last() < cuda.first() / 5, "loss " + cuda.first() + " → " + cuda.last());
            for (int i = 0; i < CopyTask.STEPS; i++) {
                assertEquals(inUse[0], inUse[i], "device memory held after update " + (i + 1));
            }
            assertEquals(baseline, backend.memory().inUse(), "device memory held after training");

            CopyTask.Copies greedy = CopyTask.copies(backend, dir.resolve("cuda"), DecodingOptions.greedy());
            CopyTask.Copies beam = CopyTask.copies(backend, dir.resolve("cuda"), DecodingOptions.defaults());
            assertEquals(baseline, backend.memory().inUse(), "device memory held after decoding");
            System.out.printf("cuda: losses within %.2g of cpu's over %d updates; loss %.4f → %.4f; copied exactly"
                    + " %d/%d greedy, %d beam 4; %d and %d symbols; %,d B held per update, %,d B cached at the end%n",
                    worstLoss, CopyTask.COMPARED_STEPS, cuda.first(), cuda.last(), greedy.exact(),
                    CopyTask.TEST_SEQUENCES, beam.exact(), greedy.symbols(), beam.symbols(), inUse[0],
                    backend.memory().cached());
            for (CopyTask.Copies copies : new CopyTask.Copies[] {greedy, beam}) {
                assertTrue(copies.exact() >= CopyTask.EXACT_NEEDED, "copied " + copies.exact() + " exactly");
                assertTrue(copies.symbols() >= CopyTask.SYMBOLS_NEEDED, "copied " + copies.symbols() + " symbols");
            }
        }
    }
}
