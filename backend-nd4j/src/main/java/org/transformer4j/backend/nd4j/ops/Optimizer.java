package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adam and the squared norm. libnd4j's {@code adam_updater} puts ε on the uncorrected second moment
 * ({@code sqrt(v) + ε}), while our definition (and PyTorch's) adds it to the corrected one; so the update is
 * written out in libnd4j elementwise ops, with one temporary of the parameter's size.
 */
public final class Optimizer {

    /** Elements converted to float64 at a time by {@link #sumOfSquares}. */
    private static final long CHUNK = 1 << 20;

    private Optimizer() {
    }

    /** One Adam step on flat arrays of equal length; see {@code Backend.adamStepInPlace}. */
    public static void adam(INDArray param, INDArray grad, INDArray m, INDArray v, float lr, float beta1, float beta2,
            float epsilon, double firstCorrection, double secondCorrection, float gradScale, Scratch scratch) {
        INDArray t = scratch.floats(param.length());
        INDArray g = grad;
        if (gradScale != 1f) {
            Nd.scale(grad, gradScale, t);
            g = t;
        }
        Nd.scale(m, beta1, m);
        Nd.axpy(1.0 - beta1, g, m);
        Nd.mul(g, g, t);                                  // g², over the scaled gradient when t holds it
        Nd.scale(v, beta2, v);
        Nd.axpy(1.0 - beta2, t, v);
        Nd.scale(v, 1.0 / secondCorrection, t);           // v̂
        Nd.exec(new Sqrt(t, t));
        Nd.addScalar(t, epsilon, t);                      // sqrt(v̂) + ε
        Nd.div(m, t, t);                                  // m / (sqrt(v̂) + ε)
        Nd.axpy(-lr / firstCorrection, t, param);         // param −= lr · m̂ / (sqrt(v̂) + ε)
    }

    /**
     * {@code Σ x²} accumulated in float64 as the definition asks: the elements are converted to float64 a chunk
     * at a time (a bounded temporary) and reduced there by libnd4j.
     */
    public static double sumOfSquares(INDArray flat, Scratch scratch) {
        long n = flat.length();
        long chunk = Math.min(n, CHUNK);
        INDArray wide = scratch.doubles(chunk);
        INDArray result = scratch.doubles();
        double total = 0;
        for (long start = 0; start < n; start += chunk) {
            long len = Math.min(chunk, n - start);
            INDArray part = len == n ? flat : flat.get(NDArrayIndex.interval(start, start + len));
            INDArray into = len == chunk ? wide : wide.get(NDArrayIndex.interval(0, len));
            into.assign(part);
            Nd.squaredNorm(into, result);
            total += result.getDouble(0);
        }
        return total;
    }
}
