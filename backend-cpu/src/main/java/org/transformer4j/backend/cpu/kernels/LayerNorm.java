package org.transformer4j.backend.cpu.kernels;

/**
 * Layer normalisation over rows of length {@code d}, forward and backward side by side (llm.c's
 * {@code layernorm_forward}/{@code layernorm_backward}); forward saves mean and rstd for backward.
 */
public final class LayerNorm {

    private LayerNorm() {
    }

    public static void forward(Parallel par, boolean simd, float[] x, float[] gamma, float[] beta, float eps,
            float[] y, float[] mean, float[] rstd, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / (4 * d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * d;
                float mu = Simd.sum(simd, x, off, d) / d;
                float var = 0;
                for (int j = 0; j < d; j++) {
                    float c = x[off + j] - mu;
                    var += c * c;
                }
                float rs = (float) (1.0 / Math.sqrt(var / d + eps));
                for (int j = 0; j < d; j++) {
                    y[off + j] = (x[off + j] - mu) * rs * gamma[j] + beta[j];
                }
                mean[r] = mu;
                rstd[r] = rs;
            }
        });
    }

    /**
     * dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ γ; dγ = Σ_rows dy ⊙ x̂; dβ = Σ_rows dy.
     * The parameter gradients are summed per thread chunk, then added up, so threads never share a row.
     */
    public static void backward(Parallel par, boolean simd, float[] dy, float[] x, float[] gamma, float[] mean,
            float[] rstd, float[] dx, float[] dgamma, float[] dbeta, int rows, int d) {
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
                    int off = r * d;
                    float mu = mean[r];
                    float rs = rstd[r];
                    float sumG = 0;
                    float sumGx = 0;
                    for (int j = 0; j < d; j++) {
                        float xhat = (x[off + j] - mu) * rs;
                        float g = dy[off + j] * gamma[j];
                        sumG += g;
                        sumGx += g * xhat;
                        pg[j] += dy[off + j] * xhat;
                        pb[j] += dy[off + j];
                    }
                    float meanG = sumG / d;
                    float meanGx = sumGx / d;
                    for (int j = 0; j < d; j++) {
                        float xhat = (x[off + j] - mu) * rs;
                        dx[off + j] = rs * (dy[off + j] * gamma[j] - meanG - xhat * meanGx);
                    }
                }
            }
        });
        java.util.Arrays.fill(dgamma, 0f);
        java.util.Arrays.fill(dbeta, 0f);
        for (int ch = 0; ch < chunks; ch++) {
            Simd.axpy(simd, 1f, partialGamma[ch], 0, dgamma, 0, d);
            Simd.axpy(simd, 1f, partialBeta[ch], 0, dbeta, 0, d);
        }
    }
}
