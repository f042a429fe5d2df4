package org.transformer4j.backend.cpu.kernels;

/**
 * Row softmax with scale and an additive, broadcast mask; its backward; and log-softmax. Rows are
 * independent, so threads split rows. See {@link org.transformer4j.api.Backend#softmax} for the definition.
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * A mask broadcast over the rows of x: {@code strides[i]} is the mask's stride for x's axis i, 0 where the
     * mask has dimension 1. The last entry is the stride along the row.
     */
    public record Mask(float[] data, int[] xDims, int[] strides) {

        /** The offset of row {@code row} (a flat index over x's leading axes) in the mask. */
        int rowOffset(int row) {
            int off = 0;
            for (int axis = xDims.length - 2; axis >= 0; axis--) {
                int idx = row % xDims[axis];
                row /= xDims[axis];
                off += idx * strides[axis];
            }
            return off;
        }

        int columnStride() {
            return strides[strides.length - 1];
        }
    }

    /** y = softmax(scale · x + mask) over rows of length {@code d}. */
    public static void forward(Parallel par, boolean simd, float[] x, float scale, Mask mask, float[] y, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * d;
                if (mask == null && scale == 1f) {
                    normalise(simd, x, off, y, d);
                    continue;
                }
                // z = scale·x + mask, written into y, then normalised in place.
                int mOff = mask == null ? 0 : mask.rowOffset(r);
                int ms = mask == null ? 0 : mask.columnStride();
                for (int j = 0; j < d; j++) {
                    y[off + j] = scale * x[off + j] + (mask == null ? 0f : mask.data()[mOff + j * ms]);
                }
                normalise(simd, y, off, y, d);
            }
        });
    }

    /** out = softmax(in) for one row; a row of -inf gives zeros. */
    private static void normalise(boolean simd, float[] in, int off, float[] out, int d) {
        float max = Simd.max(simd, in, off, d);
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, off, off + d, 0f);
            return;
        }
        float sum = Simd.expShifted(simd, in, off, max, out, off, d);
        Simd.scale(simd, out, off, d, 1f / sum);
    }

    /** dx = scale · y ⊙ (dy − Σ dy⊙y), per row. */
    public static void backward(Parallel par, boolean simd, float[] y, float[] dy, float scale, float[] dx, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * d;
                float dot = Simd.dot(simd, dy, off, y, off, d);
                for (int j = 0; j < d; j++) {
                    dx[off + j] = scale * y[off + j] * (dy[off + j] - dot);
                }
            }
        });
    }

    /** y = x − max − log Σ exp(x − max), per row. */
    public static void logSoftmax(Parallel par, boolean simd, float[] x, float[] y, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * d;
                float max = Simd.max(simd, x, off, d);
                // y holds exp(x − max) only to get the sum; it is overwritten just below.
                float sum = Simd.expShifted(simd, x, off, max, y, off, d);
                float shift = max + (float) Math.log(sum);
                for (int j = 0; j < d; j++) {
                    y[off + j] = x[off + j] - shift;
                }
            }
        });
    }
}
