package org.transformer4j.api;

/**
 * The {@code k} largest elements of each row, largest first, with their indices in the row; of equal values, the
 * lower index comes first. Row {@code r}'s j-th is at {@code r·k + j} of both arrays. What
 * {@link Backend#topK} returns: the next-token choice of beam search without copying a row of the vocabulary
 * to the host at every step.
 */
public record TopK(int rows, int k, float[] values, int[] indices) {

    public float value(int row, int j) {
        return values[row * k + j];
    }

    public int index(int row, int j) {
        return indices[row * k + j];
    }

    /** The top {@code k} of each of {@code rows} rows of {@code d} in {@code x} (from offset 0): the definition. */
    public static TopK of(float[] x, int rows, int d, int k) {
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("topK: k must be between 1 and the row length " + d + ", not " + k);
        }
        float[] values = new float[rows * k];
        int[] indices = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            selectRow(x, r * d, d, k, values, indices, r * k);
        }
        return new TopK(rows, k, values, indices);
    }

    /**
     * One row, {@code x[off .. off+d)}, into {@code values} and {@code indices} at {@code out}: an insertion into a
     * sorted list of at most k, so O(d) for the small k of beam search. A value enters only when it beats the k-th
     * strictly, and goes after the equal values already there, which keeps equal values in index order. Backends
     * whose rows reach the host call it too, so that the order is defined in one place.
     */
    public static void selectRow(float[] x, int off, int d, int k, float[] values, int[] indices, int out) {
        int count = 0;
        for (int j = 0; j < d; j++) {
            float v = x[off + j];
            if (count == k && !(v > values[out + k - 1])) {
                continue;
            }
            int p = count == k ? k - 1 : count;
            while (p > 0 && values[out + p - 1] < v) {
                values[out + p] = values[out + p - 1];
                indices[out + p] = indices[out + p - 1];
                p--;
            }
            values[out + p] = v;
            indices[out + p] = j;
            if (count < k) {
                count++;
            }
        }
    }
}
