package org.transformer4j.cli.bench;

import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/**
 * Times an {@link OpCase} on one backend: warm-up runs, then samples of at least {@code minSampleNanos}
 * each (short ops repeat inside a sample), reported as the median rate. The median, not the best, because
 * the machines we run on are shared and noisy; compare only figures taken in one run.
 */
public final class Sampler {

    private final int warmup;
    private final int samples;
    private final long minSampleNanos;

    public Sampler(int warmup, int samples, long minSampleNanos) {
        this.warmup = warmup;
        this.samples = samples;
        this.minSampleNanos = minSampleNanos;
    }

    /** The median rate in the case's unit (GFLOP/s or GB/s). */
    public double measure(Backend backend, OpCase c) {
        List<Tensor> inputs = c.inputs().apply(backend);
        try {
            for (int i = 0; i < warmup; i++) {
                runOnce(backend, c, inputs);
            }
            double[] rates = new double[samples];
            for (int s = 0; s < samples; s++) {
                long start = System.nanoTime();
                long runs = 0;
                long elapsed;
                do {
                    runOnce(backend, c, inputs);
                    runs++;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < minSampleNanos);
                rates[s] = c.work() * runs / elapsed; // work per nanosecond = G-units per second
            }
            Arrays.sort(rates);
            return rates[samples / 2];
        } finally {
            inputs.forEach(Tensor::close);
        }
    }

    private static void runOnce(Backend backend, OpCase c, List<Tensor> inputs) {
        List<Tensor> outputs = c.run().run(backend, inputs);
        backend.synchronize();
        outputs.forEach(Tensor::close);
    }
}
