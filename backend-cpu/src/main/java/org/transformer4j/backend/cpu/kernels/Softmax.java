package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;

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
    public record Mask(MemorySegment data, int[] xDims, int[] strides) {

        /** The offset of row {@code row} (a flat index over x's leading axes) in the mask. */
        long rowOffset(int row) {
            long off = 0;
            for (int axis = xDims.length - 2; axis >= 0; axis--) {
                int idx = row % xDims[axis];
                row /= xDims[axis];
                off += (long) idx * strides[axis];
            }
            return off;
        }

        int columnStride() {
            return strides[strides.length - 1];
        }
    }

    /** y = softmax(scale · x + mask) over rows of length {@code d}. */
    public static void forward(Parallel par, boolean simd, MemorySegment x, float scale, Mask mask, MemorySegment y,
            int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * d;
                if (mask == null && scale == 1f) {
                    normalise(simd, x, off, y, d);
                    continue;
                }
                // z = scale·x + mask, written into y, then normalised in place.
                Simd.affine(simd, x, off, scale, 0f, y, off, d);
                if (mask != null) {
                    long mOff = mask.rowOffset(r);
                    if (mask.columnStride() == 1) {
                        Simd.axpy(simd, 1f, mask.data(), mOff, y, off, d);
                    } else {
                        float m = Mem.get(mask.data(), mOff); // one value for the whole row
                        Simd.affine(simd, y, off, 1f, m, y, off, d);
                    }
                }
                normalise(simd, y, off, y, d);
            }
        });
    }

    /** out = softmax(in) for one row; a row of -inf gives zeros. */
    private static void normalise(boolean simd, MemorySegment in, long off, MemorySegment out, int d) {
        float max = Simd.max(simd, in, off, d);
        if (max == Float.NEGATIVE_INFINITY) {
            Mem.fill(out, off, d, 0f);
            return;
        }
        float sum = Simd.expShifted(simd, in, off, max, out, off, d);
        Simd.scale(simd, out, off, d, 1f / sum);
    }

    /** dx = scale · y ⊙ (dy − Σ dy⊙y), per row. */
    public static void backward(Parallel par, boolean simd, MemorySegment y, MemorySegment dy, float scale,
            MemorySegment dx, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * d;
                float dot = Simd.dot(simd, dy, off, y, off, d);
                // dx = scale·y·(dy − dot): first dx = dy − dot, then dx *= scale·y.
                Simd.affine(simd, dy, off, 1f, -dot, dx, off, d);
                Simd.multiply(simd, dx, off, y, off, scale, d);
            }
        });
    }

    /** y = x − max − log Σ exp(x − max), per row. */
    public static void logSoftmax(Parallel par, boolean simd, MemorySegment x, MemorySegment y, int rows, int d) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * d;
                float max = Simd.max(simd, x, off, d);
                // y holds exp(x − max) only to get the sum; it is overwritten just below.
                float sum = Simd.expShifted(simd, x, off, max, y, off, d);
                float shift = max + (float) Math.log(sum);
                Simd.affine(simd, x, off, 1f, -shift, y, off, d);
            }
        });
    }
}
