package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;

/**
 * Layer normalisation over the last axis, written out in libnd4j row and column broadcasts (libnd4j's own
 * {@code layer_norm} returns neither the mean nor rstd that the backward pass needs). Matrices are
 * {@code [rows, d]}; gamma and beta are rows, mean and rstd columns.
 */
public final class LayerNorm {

    private LayerNorm() {
    }

    /** {@code y = (x − mean) · rstd · gamma + beta}, with the biased variance (two passes: mean, then Σ(x − mean)²). */
    public static void forward(INDArray x, INDArray gamma, INDArray beta, float eps, INDArray y, INDArray mean, INDArray rstd, long d) {
        Nd.mean(x, mean, 1);
        Nd.subColumn(x, mean, y);
        Nd.squaredNorm(y, rstd, 1);
        Nd.scale(rstd, 1.0 / d, rstd);
        Nd.addScalar(rstd, eps, rstd);
        Nd.exec(new RSqrt(rstd, rstd));
        Nd.mulColumn(y, rstd, y);
        Nd.mulRow(y, gamma, y);
        Nd.addRow(y, beta, y);
    }

    /**
     * With {@code x̂ = (x − mean) · rstd} and {@code g = dy · gamma}:
     * {@code dx = rstd · (g − mean_row(g) − x̂ · mean_row(g · x̂))}, {@code dgamma = Σ_rows dy · x̂},
     * {@code dbeta = Σ_rows dy}.
     */
    public static void backward(INDArray dy, INDArray x, INDArray gamma, INDArray mean, INDArray rstd,
            INDArray dx, INDArray dgamma, INDArray dbeta, long rows, long d, Scratch scratch) {
        INDArray xhat = scratch.floats(rows, d);
        INDArray g = scratch.floats(rows, d);
        INDArray meanG = scratch.floats(rows);
        INDArray meanGx = scratch.floats(rows);
        Nd.subColumn(x, mean, xhat);
        Nd.mulColumn(xhat, rstd, xhat);
        Nd.sum(dy, dbeta, 0);
        Nd.mul(dy, xhat, g);
        Nd.sum(g, dgamma, 0);
        Nd.mulRow(dy, gamma, g);
        Nd.mean(g, meanG, 1);
        Nd.mul(g, xhat, dx);
        Nd.mean(dx, meanGx, 1);
        Nd.mulColumn(xhat, meanGx, xhat);
        Nd.subColumn(g, meanG, dx);
        Nd.sub(dx, xhat, dx);
        Nd.mulColumn(dx, rstd, dx);
    }
}
