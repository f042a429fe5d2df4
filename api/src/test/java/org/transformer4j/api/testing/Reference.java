package org.transformer4j.api.testing;

import org.transformer4j.api.Shape;

/**
 * The plain definitions of the Backend ops, in float64, written from the javadoc of
 * {@link org.transformer4j.api.Backend} and independent of every backend's code. Arrays are row-major.
 */
public final class Reference {

    private Reference() {
    }

    /** op(a)·op(b) for rank-2 or batched operands (leading axes equal). */
    public static double[] matmul(double[] a, Shape as, double[] b, Shape bs, boolean ta, boolean tb) {
        int r = as.rank();
        int batches = (int) as.product(0, r - 2);
        int m = ta ? as.dim(r - 1) : as.dim(r - 2);
        int k = ta ? as.dim(r - 2) : as.dim(r - 1);
        int n = tb ? bs.dim(r - 2) : bs.dim(r - 1);
        double[] c = new double[batches * m * n];
        for (int bi = 0; bi < batches; bi++) {
            int ao = bi * m * k;
            int bo = bi * k * n;
            int co = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[ao + p * m + i] : a[ao + i * k + p];
                        double bv = tb ? b[bo + j * k + p] : b[bo + p * n + j];
                        s += av * bv;
                    }
                    c[co + i * n + j] = s;
                }
            }
        }
        return c;
    }

    /** Σ_k |op(a)[i,k]·op(b)[k,j]|: the scale of each matmul output, for its error bound. */
    public static double[] matmulAbs(double[] a, Shape as, double[] b, Shape bs, boolean ta, boolean tb) {
        return matmul(abs(a), as, abs(b), bs, ta, tb);
    }

    public static double[] abs(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /** softmax(scale·x + mask) over the last axis, mask broadcast numpy-style (null for none). */
    public static double[] softmax(double[] x, Shape xs, double scale, double[] mask, Shape ms) {
        int d = xs.last();
        int rows = x.length / d;
        double[] y = new double[x.length];
        int[] xd = xs.toArray();
        for (int r = 0; r < rows; r++) {
            double[] z = new double[d];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) {
                z[j] = scale * x[r * d + j] + (mask == null ? 0 : mask[maskIndex(xd, ms, r * d + j)]);
                max = Math.max(max, z[j]);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                continue; // a fully masked row is all zeros
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                z[j] = Math.exp(z[j] - max);
                sum += z[j];
            }
            for (int j = 0; j < d; j++) {
                y[r * d + j] = z[j] / sum;
            }
        }
        return y;
    }

    /** The flat index in a broadcast mask of the element at flat index {@code flat} of x. */
    public static int maskIndex(int[] xDims, Shape ms, int flat) {
        int idx = 0;
        int stride = 1;
        for (int axis = xDims.length - 1; axis >= 0; axis--) {
            int i = flat % xDims[axis];
            flat /= xDims[axis];
            int md = ms.dim(axis);
            idx += (md == 1 ? 0 : i) * stride;
            stride *= md;
        }
        return idx;
    }

    public static double[] softmaxBackward(double[] y, double[] dy, int d, double scale) {
        double[] dx = new double[y.length];
        for (int r = 0; r < y.length / d; r++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += dy[r * d + j] * y[r * d + j];
            }
            for (int j = 0; j < d; j++) {
                dx[r * d + j] = scale * y[r * d + j] * (dy[r * d + j] - dot);
            }
        }
        return dx;
    }

    public static double[] logSoftmax(double[] x, int d) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) {
                max = Math.max(max, x[r * d + j]);
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += Math.exp(x[r * d + j] - max);
            }
            for (int j = 0; j < d; j++) {
                y[r * d + j] = x[r * d + j] - max - Math.log(sum);
            }
        }
        return y;
    }

    /** Layer norm: returns {y, mean, rstd}. */
    public static double[][] layerNorm(double[] x, double[] gamma, double[] beta, int d, double eps) {
        int rows = x.length / d;
        double[] y = new double[x.length];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int j = 0; j < d; j++) {
                mu += x[r * d + j];
            }
            mu /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += (x[r * d + j] - mu) * (x[r * d + j] - mu);
            }
            double rs = 1 / Math.sqrt(var / d + eps);
            for (int j = 0; j < d; j++) {
                y[r * d + j] = (x[r * d + j] - mu) * rs * gamma[j] + beta[j];
            }
            mean[r] = mu;
            rstd[r] = rs;
        }
        return new double[][] {y, mean, rstd};
    }

    /** Layer norm gradients: returns {dx, dgamma, dbeta}, recomputing mean and rstd in float64. */
    public static double[][] layerNormBackward(double[] dy, double[] x, double[] gamma, int d, double eps) {
        double[][] fwd = layerNorm(x, gamma, new double[d], d, eps);
        return layerNormBackward(dy, x, gamma, fwd[1], fwd[2], d);
    }

    /** Layer norm gradients from saved row statistics: returns {dx, dgamma, dbeta}. */
    public static double[][] layerNormBackward(double[] dy, double[] x, double[] gamma, double[] mean, double[] rstd, int d) {
        double[] dx = new double[x.length];
        double[] dgamma = new double[d];
        double[] dbeta = new double[d];
        for (int r = 0; r < x.length / d; r++) {
            double sumG = 0;
            double sumGx = 0;
            for (int j = 0; j < d; j++) {
                double xhat = (x[r * d + j] - mean[r]) * rstd[r];
                double g = dy[r * d + j] * gamma[j];
                sumG += g;
                sumGx += g * xhat;
                dgamma[j] += dy[r * d + j] * xhat;
                dbeta[j] += dy[r * d + j];
            }
            for (int j = 0; j < d; j++) {
                double xhat = (x[r * d + j] - mean[r]) * rstd[r];
                dx[r * d + j] = rstd[r] * (dy[r * d + j] * gamma[j] - sumG / d - xhat * sumGx / d);
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }

    /** Label-smoothed cross-entropy: returns {loss[N], nll[N], grad[N·V] (scaled by gradScale)}. */
    public static double[][] crossEntropy(double[] logits, int v, int[] targets, double eps, int ignore, double gradScale) {
        int n = targets.length;
        double[] loss = new double[n];
        double[] nll = new double[n];
        double[] grad = new double[n * v];
        double[] logp = logSoftmax(logits, v);
        for (int r = 0; r < n; r++) {
            if (targets[r] == ignore) {
                continue;
            }
            for (int j = 0; j < v; j++) {
                double q = (j == targets[r] ? 1 - eps : 0) + eps / v;
                loss[r] -= q * logp[r * v + j];
                grad[r * v + j] = gradScale * (Math.exp(logp[r * v + j]) - q);
            }
            nll[r] = -logp[r * v + targets[r]];
        }
        return new double[][] {loss, nll, grad};
    }

    /** The sum over one axis of x (shape xs), scaled by {@code scale}. */
    public static double[] sum(double[] x, Shape xs, int axis, double scale) {
        int a = xs.axis(axis);
        int outer = (int) xs.product(0, a);
        int len = xs.dim(a);
        int inner = (int) xs.product(a + 1, xs.rank());
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int l = 0; l < len; l++) {
                for (int i = 0; i < inner; i++) {
                    out[o * inner + i] += x[(o * len + l) * inner + i];
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] *= scale;
        }
        return out;
    }

    /** a and b joined along axis: each of the outer blocks holds a's slice, then b's. */
    public static double[] concat(double[] a, Shape as, double[] b, Shape bs, int axis) {
        int ax = axis < 0 ? axis + as.rank() : axis;
        int inner = 1;
        for (int i = ax + 1; i < as.rank(); i++) {
            inner *= as.dim(i);
        }
        int blockA = as.dim(ax) * inner;
        int blockB = bs.dim(ax) * inner;
        int outer = a.length / blockA;
        double[] out = new double[a.length + b.length];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a, o * blockA, out, o * (blockA + blockB), blockA);
            System.arraycopy(b, o * blockB, out, o * (blockA + blockB) + blockA, blockB);
        }
        return out;
    }

    /** x with axes permuted: out.shape[i] = xs[axes[i]]. */
    public static double[] permute(double[] x, Shape xs, int[] axes) {
        int r = xs.rank();
        int[] dims = xs.toArray();
        int[] strides = new int[r];
        strides[r - 1] = 1;
        for (int i = r - 2; i >= 0; i--) {
            strides[i] = strides[i + 1] * dims[i + 1];
        }
        int[] outDims = new int[r];
        for (int i = 0; i < r; i++) {
            outDims[i] = dims[axes[i]];
        }
        double[] out = new double[x.length];
        int[] idx = new int[r];
        for (int flat = 0; flat < x.length; flat++) {
            int rem = flat;
            for (int i = r - 1; i >= 0; i--) {
                idx[i] = rem % outDims[i];
                rem /= outDims[i];
            }
            int src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * strides[axes[i]];
            }
            out[flat] = x[src];
        }
        return out;
    }

    /** One Adam step with bias correction, in place on p, m and v (the Backend javadoc's formula). */
    public static void adam(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps,
            long step, double gradScale) {
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < p.length; i++) {
            double gi = gradScale * g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }

    /**
     * The dropout keep decision as the Backend javadoc specifies it (SplitMix64 of seed and index, top 24
     * bits as a uniform number), written here again on purpose: it checks {@code DropoutMask} too.
     */
    public static boolean keep(long seed, long index, double p) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        double u = (z >>> 40) / (double) (1 << 24);
        return u >= p;
    }
}
