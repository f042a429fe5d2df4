package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.transformer4j.api.spi.DropoutMask;

/**
 * Elementwise ops. A second operand shaped like a suffix of the first is seen as a row repeated down a
 * {@code [rows, cols]} matrix, which is libnd4j's broadcast along dimension 1.
 */
public final class Elementwise {

    /** Dropout masks are made on the host this many elements at a time. */
    private static final int MASK_CHUNK = 1 << 16;

    private Elementwise() {
    }

    /** {@code out = a + b}; {@code b} of {@code bSize} elements repeats over {@code a}'s leading axes. */
    public static void add(INDArray a, INDArray b, long bSize, INDArray out) {
        if (a.length() == bSize) {
            Nd.exec(new AddOp(a, b, out));
        } else {
            Nd.addRow(a.reshape('c', a.length() / bSize, bSize), b.reshape(bSize), out.reshape('c', a.length() / bSize, bSize));
        }
    }

    /** {@code out = a ⊙ b}, with {@code b} broadcast as in {@link #add}. */
    public static void mul(INDArray a, INDArray b, long bSize, INDArray out) {
        if (a.length() == bSize) {
            Nd.exec(new MulOp(a, b, out));
        } else {
            Nd.mulRow(a.reshape('c', a.length() / bSize, bSize), b.reshape(bSize), out.reshape('c', a.length() / bSize, bSize));
        }
    }

    /**
     * {@code acc += alpha · x}, with {@code x} broadcast as in {@link #add}: one axpy when the shapes are equal;
     * otherwise the scaled row (small) is made once and added to every row.
     */
    public static void addInPlace(INDArray acc, INDArray x, long xSize, float alpha, Scratch scratch) {
        if (acc.length() == xSize) {
            Nd.axpy(alpha, x, acc);
            return;
        }
        INDArray row = x.reshape(xSize);
        if (alpha != 1f) {
            INDArray scaled = scratch.floats(xSize);
            Nd.scale(row, alpha, scaled);
            row = scaled;
        }
        INDArray matrix = acc.reshape('c', acc.length() / xSize, xSize);
        Nd.addRow(matrix, row, matrix);
    }

    public static void relu(INDArray x, INDArray out) {
        Nd.exec(new RectifiedLinear(x, out, 0.0));
    }

    /** {@code out = dy · [y > 0]}: libnd4j's thresholded-relu gradient with threshold 0, given the output y. */
    public static void reluBackward(INDArray dy, INDArray y, INDArray out) {
        Nd.exec(new ThresholdReluBp(y, dy, out, 0.0));
    }

    /**
     * {@code out = x ⊙ mask}, with {@code mask[i] = keep(seed, i) / (1 - p)} or 0. ND4J has no op for the
     * specified SplitMix64 mask, so the host writes the mask straight into {@code out} (no temporary) and
     * ND4J multiplies it by {@code x} in place.
     */
    public static void dropout(INDArray x, float p, long seed, INDArray out) {
        long n = out.length();
        float scale = 1f / (1f - p);
        float[] chunk = new float[(int) Math.min(n, MASK_CHUNK)];
        for (long start = 0; start < n; start += chunk.length) {
            int len = (int) Math.min(chunk.length, n - start);
            for (int i = 0; i < len; i++) {
                chunk[i] = DropoutMask.keep(seed, start + i, p) ? scale : 0f;
            }
            Nd.put(chunk, 0, len, out, start);
        }
        Nd.exec(new MulOp(out, x, out));
    }
}
