package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over rows of length {@code d}, forward and backward side by side (llm.c's
 * {@code layernorm_forward}/{@code layernorm_backward}); forward saves mean and rstd for backward.
 */
public final class LayerNorm {

    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final ByteOrder O = Simd.ORDER;

    private LayerNorm() {
    }

    public static void forward(Parallel par, boolean simd, MemorySegment x, MemorySegment gamma, MemorySegment beta,
            float eps, MemorySegment y, MemorySegment mean, MemorySegment rstd, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / (4 * d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * d;
                float mu = Simd.sum(simd, x, off, d) / d;
                float var = Simd.sumSquaredDeviations(simd, x, off, d, mu);
                float rs = (float) (1.0 / Math.sqrt(var / d + eps));
                // y = (x − μ)·rs·γ + β: first y = rs·x − rs·μ, then y = y·γ + β.
                Simd.affine(simd, x, off, rs, -rs * mu, y, off, d);
                Simd.fmaRow(simd, y, off, gamma, beta, d);
                Mem.set(mean, r, mu);
                Mem.set(rstd, r, rs);
            }
        });
    }

    /**
     * dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ γ; dγ = Σ_rows dy ⊙ x̂; dβ = Σ_rows dy.
     * The parameter gradients are summed per thread chunk, then added up in chunk order, so threads never
     * share a row and the result does not depend on scheduling.
     */
    public static void backward(Parallel par, boolean simd, MemorySegment dy, MemorySegment x, MemorySegment gamma,
            MemorySegment mean, MemorySegment rstd, MemorySegment dx, MemorySegment dgamma, MemorySegment dbeta,
            int rows, int d) {
        int chunks = Math.max(1, Math.min(par.threads(), rows));
        float[][] partialGamma = new float[chunks][d];
        float[][] partialBeta = new float[chunks][d];
        int perChunk = (rows + chunks - 1) / chunks;
        par.forRange(chunks, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                int end = Math.min(rows, (ch + 1) * perChunk);
                for (int r = ch * perChunk; r < end; r++) {
                    if (simd) {
                        backwardRow(dy, x, gamma, mean, rstd, dx, partialGamma[ch], partialBeta[ch], r, d);
                    } else {
                        backwardRowScalar(dy, x, gamma, mean, rstd, dx, partialGamma[ch], partialBeta[ch], r, d);
                    }
                }
            }
        });
        for (int j = 0; j < d; j++) {
            float g = 0;
            float b = 0;
            for (int ch = 0; ch < chunks; ch++) {
                g += partialGamma[ch][j];
                b += partialBeta[ch][j];
            }
            Mem.set(dgamma, j, g);
            Mem.set(dbeta, j, b);
        }
    }

    /** One row of {@link #backward}, the readable definition (and the {@code simd=false} path). */
    private static void backwardRowScalar(MemorySegment dy, MemorySegment x, MemorySegment gamma, MemorySegment mean,
            MemorySegment rstd, MemorySegment dx, float[] pg, float[] pb, int r, int d) {
        long off = (long) r * d;
        float mu = Mem.get(mean, r);
        float rs = Mem.get(rstd, r);
        float sumG = 0;
        float sumGx = 0;
        for (int j = 0; j < d; j++) {
            float xhat = (Mem.get(x, off + j) - mu) * rs;
            float dyj = Mem.get(dy, off + j);
            float g = dyj * Mem.get(gamma, j);
            sumG += g;
            sumGx += g * xhat;
            pg[j] += dyj * xhat;
            pb[j] += dyj;
        }
        float meanG = sumG / d;
        float meanGx = sumGx / d;
        for (int j = 0; j < d; j++) {
            float xhat = (Mem.get(x, off + j) - mu) * rs;
            Mem.set(dx, off + j, rs * (Mem.get(dy, off + j) * Mem.get(gamma, j) - meanG - xhat * meanGx));
        }
    }

    /** One row of {@link #backward} on vectors, the same arithmetic; the two sums add their lanes in order. */
    private static void backwardRow(MemorySegment dy, MemorySegment x, MemorySegment gamma, MemorySegment mean,
            MemorySegment rstd, MemorySegment dx, float[] pg, float[] pb, int r, int d) {
        long off = (long) r * d;
        float mu = Mem.get(mean, r);
        float rs = Mem.get(rstd, r);
        FloatVector accG = FloatVector.zero(S);
        FloatVector accGx = FloatVector.zero(S);
        int j = 0;
        int bound = S.loopBound(d);
        for (; j < bound; j += S.length()) {
            long at = (off + j) << 2;
            FloatVector xhat = FloatVector.fromMemorySegment(S, x, at, O).sub(mu).mul(rs);
            FloatVector dyj = FloatVector.fromMemorySegment(S, dy, at, O);
            FloatVector g = dyj.mul(FloatVector.fromMemorySegment(S, gamma, (long) j << 2, O));
            accG = accG.add(g);
            accGx = g.fma(xhat, accGx);
            dyj.fma(xhat, FloatVector.fromArray(S, pg, j)).intoArray(pg, j);
            dyj.add(FloatVector.fromArray(S, pb, j)).intoArray(pb, j);
        }
        float[] lanes = Simd.lanesBuffer();
        accG.intoArray(lanes, 0);
        float sumG = Simd.sumInOrder(lanes);
        accGx.intoArray(lanes, 0);
        float sumGx = Simd.sumInOrder(lanes);
        for (int t = j; t < d; t++) {
            float xhat = (Mem.get(x, off + t) - mu) * rs;
            float dyt = Mem.get(dy, off + t);
            float g = dyt * Mem.get(gamma, t);
            sumG += g;
            sumGx += g * xhat;
            pg[t] += dyt * xhat;
            pb[t] += dyt;
        }
        float meanG = sumG / d;
        float meanGx = sumGx / d;
        for (j = 0; j < bound; j += S.length()) {
            long at = (off + j) << 2;
            FloatVector xhat = FloatVector.fromMemorySegment(S, x, at, O).sub(mu).mul(rs);
            FloatVector g = FloatVector.fromMemorySegment(S, dy, at, O)
                    .mul(FloatVector.fromMemorySegment(S, gamma, (long) j << 2, O));
            g.sub(meanG).sub(xhat.mul(meanGx)).mul(rs).intoMemorySegment(dx, at, O);
        }
        for (int t = j; t < d; t++) {
            float xhat = (Mem.get(x, off + t) - mu) * rs;
            Mem.set(dx, off + t, rs * (Mem.get(dy, off + t) * Mem.get(gamma, t) - meanG - xhat * meanGx));
        }
    }
}
