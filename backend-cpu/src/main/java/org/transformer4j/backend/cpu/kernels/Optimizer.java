package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The fused Adam update and the squared norm, over tensor memory; see {@link org.transformer4j.api.Backend}. */
public final class Optimizer {

    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final ByteOrder O = Simd.ORDER;
    private static final int GRAIN = Parallel.MIN_CHUNK_WORK;

    private Optimizer() {
    }

    /**
     * Adam with bias correction: {@code c1 = 1 − β1^t}, {@code c2 = 1 − β2^t} are computed once by the caller.
     * Rewritten as {@code p −= (lr / c1) · m / (sqrt(v) / sqrt(c2) + ε)}, which is the same expression.
     */
    public static void adam(Parallel par, boolean simd, MemorySegment p, MemorySegment g, MemorySegment m,
            MemorySegment v, int n, float lr, float b1, float b2, float eps, double c1, double c2, float gradScale) {
        float stepSize = (float) (lr / c1);
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        par.forRange(n, GRAIN, (i0, i1) -> {
            int i = i0;
            if (simd) {
                FloatVector vb1 = FloatVector.broadcast(S, b1);
                FloatVector vb2 = FloatVector.broadcast(S, b2);
                for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
                    long at = (long) i << 2;
                    FloatVector gi = FloatVector.fromMemorySegment(S, g, at, O).mul(gradScale);
                    FloatVector mi = FloatVector.fromMemorySegment(S, m, at, O).mul(vb1).add(gi.mul(1 - b1));
                    FloatVector vi = FloatVector.fromMemorySegment(S, v, at, O).mul(vb2).add(gi.mul(gi).mul(1 - b2));
                    mi.intoMemorySegment(m, at, O);
                    vi.intoMemorySegment(v, at, O);
                    FloatVector denominator = vi.lanewise(VectorOperators.SQRT).mul(invSqrtC2).add(eps);
                    FloatVector pi = FloatVector.fromMemorySegment(S, p, at, O);
                    pi.sub(mi.mul(stepSize).div(denominator)).intoMemorySegment(p, at, O);
                }
            }
            for (; i < i1; i++) {
                float gi = gradScale * Mem.get(g, i);
                float mi = b1 * Mem.get(m, i) + (1 - b1) * gi;
                float vi = b2 * Mem.get(v, i) + (1 - b2) * gi * gi;
                Mem.set(m, i, mi);
                Mem.set(v, i, vi);
                Mem.set(p, i, Mem.get(p, i) - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtC2 + eps));
            }
        });
    }

    /** Σ x² in double, per-chunk partial sums added in chunk order (deterministic for a thread count). */
    public static double sumOfSquares(Parallel par, MemorySegment x, int n) {
        int chunks = Math.max(1, Math.min(par.threads() * 4, (n + GRAIN - 1) / GRAIN));
        double[] partial = new double[chunks];
        int per = (n + chunks - 1) / chunks;
        par.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double s = 0;
                int end = Math.min(n, (c + 1) * per);
                for (int i = c * per; i < end; i++) {
                    float v = Mem.get(x, i);
                    s += (double) v * v;
                }
                partial[c] = s;
            }
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        return total;
    }
}
