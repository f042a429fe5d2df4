package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Layer normalisation over rows of length {@code d}, forward and backward side by side (llm.c's
 * {@code layernorm_forward}/{@code layernorm_backward}); forward saves mean and rstd for backward.
 */
public final class LayerNorm {

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
    public static void backward(Parallel par, MemorySegment dy, MemorySegment x, MemorySegment gamma,
            MemorySegment mean, MemorySegment rstd, MemorySegment dx, MemorySegment dgamma, MemorySegment dbeta,
            int rows, int d) {
        int chunks = Math.max(1, Math.min(par.threads(), rows));
        float[][] partialGamma = new float[chunks][d];
        float[][] partialBeta = new float[chunks][d];
        int perChunk = (rows + chunks - 1) / chunks;
        par.forRange(chunks, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float[] pg = partialGamma[ch];
                float[] pb = partialBeta[ch];
                int end = Math.min(rows, (ch + 1) * perChunk);
                for (int r = ch * perChunk; r < end; r++) {
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
}
