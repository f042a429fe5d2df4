package org.transformer4j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's FP32 FMA peak, measured rather than looked up: each thread runs 12 independent chains of
 * vector fused multiply-adds on registers, enough to hide the FMA latency of every x86 core we run on (4
 * cycles, 2 pipes: at least 8 chains in flight), with nothing read from memory. What it reaches is what the
 * JIT, this species and this (shared, perhaps throttled) machine allow right now, which is the honest
 * denominator for "fraction of peak": a figure from the data sheet would hide that a Zen 4 splits its
 * 512-bit FMAs in two, or that the host lends us a slower clock today.
 *
 * <p>Each figure is the best of several samples of about 30 ms: the first ones run before the JIT has
 * compiled the loop with the Vector API's intrinsics, and neighbours on a shared machine only ever make a
 * sample slower.
 *
 * @param perThread GFLOP/s of one thread running alone (one core's peak)
 * @param total     GFLOP/s of {@code threads} threads running together
 * @param threads   the thread count of {@code total}
 */
public record FmaPeak(double perThread, double total, int threads) {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    /** Samples per figure; the best counts. */
    private static final int SAMPLES = 5;
    /** Sample length, in loop iterations: 3 GFLOP, about 30 ms at 100 GFLOP/s. */
    private static final int ITERATIONS = (int) (3e9 / flops(1));

    /** Measures one thread alone, then {@code threads} together (about 0.3-0.5 s in all). */
    /**
     * Whether the measurement on all threads fell well short of that many single threads: other work shared the
     * cores while it ran, so a fraction of this peak overstates what the cores could do.
     */
    public boolean shared() {
        return threads > 1 && total < 0.9 * threads * perThread;
    }

    public static FmaPeak measure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        warmUp();
        double one = best(1);
        return new FmaPeak(one, threads == 1 ? one : best(threads), threads);
    }

    /** FLOP of one call of {@link #chains}: a fused multiply-add is two. */
    static double flops(int iterations) {
        return 2.0 * CHAINS * SPECIES.length() * iterations;
    }

    /**
     * Many short calls, so that the JIT compiles {@link #chains} as a method (with the Vector API's
     * intrinsics) before any sample; a single long call would run interpreted, boxing every vector, until an
     * on-stack replacement.
     */
    private static void warmUp() {
        float sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += chains(200, i);
        }
        sink = sum;
    }

    /** Where the warm-up's results go, so that the JIT cannot drop the calls as dead code. */
    @SuppressWarnings("unused")
    private static volatile float sink;

    /** The best GFLOP/s of {@code threads} threads starting together, over {@link #SAMPLES} samples. */
    private static double best(int threads) {
        double best = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int s = 0; s < SAMPLES; s++) {
                List<Future<Float>> runs = new ArrayList<>();
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int seed = t + s;
                    runs.add(pool.submit(() -> chains(ITERATIONS, seed)));
                }
                for (Future<Float> run : runs) {
                    run.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, threads * flops(ITERATIONS) / seconds / 1e9);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the FMA peak", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the FMA peak measurement failed", e.getCause());
        }
        return best;
    }

    /**
     * {@code iterations} rounds of {@value #CHAINS} independent {@code c = c·m + a} per lane. The values
     * converge to 1 (no overflow, no subnormals, whose slow path would measure something else); the sum is
     * returned so that the JIT cannot drop the work.
     */
    static float chains(int iterations, int seed) {
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector a = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, seed * 1e-3f);
        FloatVector c1 = c0.add(0.01f);
        FloatVector c2 = c0.add(0.02f);
        FloatVector c3 = c0.add(0.03f);
        FloatVector c4 = c0.add(0.04f);
        FloatVector c5 = c0.add(0.05f);
        FloatVector c6 = c0.add(0.06f);
        FloatVector c7 = c0.add(0.07f);
        FloatVector c8 = c0.add(0.08f);
        FloatVector c9 = c0.add(0.09f);
        FloatVector c10 = c0.add(0.10f);
        FloatVector c11 = c0.add(0.11f);
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
        }
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return sum.lane(0);
    }
}
