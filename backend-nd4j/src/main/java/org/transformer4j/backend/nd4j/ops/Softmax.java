package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ReplaceNans;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;

/** Softmax over rows with scale and additive mask, its backward pass, and log-softmax; matrices are {@code [rows, d]}. */
public final class Softmax {

    private Softmax() {
    }

    /**
     * {@code out = softmax(scale · x + mask)} over the last axis. {@code x}, {@code out} have the tensor's shape;
     * {@code mask} (or null) broadcasts numpy-style, which libnd4j's {@code add} does. libnd4j gives NaN for a
     * row that is entirely {@code -∞}; the definition asks for zeros, so those are replaced, only when
     * {@code fullyMaskedRows} says such rows can exist (a NaN from the data itself is never hidden otherwise).
     */
    public static void forward(INDArray x, float scale, INDArray mask, boolean fullyMaskedRows, INDArray out, long rows, long d) {
        INDArray outRows = out.reshape('c', rows, d);
        if (mask == null && scale == 1f) {
            Nd.exec(new SoftMax(x.reshape('c', rows, d), outRows, 1));
            return;
        }
        Nd.scale(x, scale, out);
        if (mask != null) {
            Nd.exec(new AddOp(out, mask, out));
        }
        Nd.exec(new SoftMax(outRows, outRows, 1));
        if (fullyMaskedRows) {
            Nd.exec(new ReplaceNans(out, out, 0.0));
        }
    }

    /** {@code dx = scale · y ⊙ (dy − Σ_row dy ⊙ y)}. */
    public static void backward(INDArray y, INDArray dy, float scale, INDArray dx, long rows, long d, Scratch scratch) {
        INDArray yRows = y.reshape('c', rows, d);
        INDArray dyRows = dy.reshape('c', rows, d);
        INDArray dxRows = dx.reshape('c', rows, d);
        INDArray dot = scratch.floats(rows);
        Nd.mul(dyRows, yRows, dxRows);
        Nd.sum(dxRows, dot, 1);
        Nd.subColumn(dyRows, dot, dxRows);
        Nd.mul(dxRows, yRows, dxRows);
        if (scale != 1f) {
            Nd.scale(dxRows, scale, dxRows);
        }
    }

    /**
     * {@code out = x − lse(x)} per row, with {@code lse = max + log Σ exp(x − max)}. libnd4j's softmax gives
     * {@code 1 / Σ exp(x − max)} at the row's maximum, so {@code lse = max − log(max_j softmax_j)} needs no
     * temporary of x's size; the softmax is written into {@code out} and then overwritten.
     */
    public static void logSoftmax(INDArray x, INDArray out, long rows, long d, Scratch scratch) {
        INDArray xRows = x.reshape('c', rows, d);
        INDArray outRows = out.reshape('c', rows, d);
        INDArray lse = logSumExp(xRows, outRows, rows, scratch);
        Nd.subColumn(xRows, lse, outRows);
    }

    /**
     * The log-sum-exp of each row of {@code xRows}, leaving the row softmax in {@code softmaxOut} (which may be
     * {@code xRows} itself, then overwritten).
     */
    static INDArray logSumExp(INDArray xRows, INDArray softmaxOut, long rows, Scratch scratch) {
        INDArray max = scratch.floats(rows);
        INDArray peak = scratch.floats(rows);
        Nd.max(xRows, max, 1);
        Nd.exec(new SoftMax(xRows, softmaxOut, 1));
        Nd.max(softmaxOut, peak, 1);
        Nd.exec(new Log(peak, peak));
        Nd.sub(max, peak, max);
        return max;
    }
}
