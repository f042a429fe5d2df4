package org.transformer4j.decoding.search;

/**
 * The attention a {@link CoveragePenalty} sums: one query's encoder-decoder weights averaged over the heads, over
 * the real source tokens only (padding, weight 0, left out).
 */
final class HeadAverage {

    private HeadAverage() {
    }

    /**
     * From host weights {@code (B, H, Q, S)}, row-major: the average over heads of {@code [b, :, q, 0 .. length)}.
     */
    static float[] of(float[] weights, int heads, int queries, int keys, int b, int q, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            double sum = 0;
            for (int h = 0; h < heads; h++) {
                sum += weights[((b * heads + h) * queries + q) * keys + i];
            }
            out[i] = (float) (sum / heads);
        }
        return out;
    }
}
