package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * Every backward op is the true gradient of its forward op: for a scalar {@code L = Σ w ⊙ f(x)} with random
 * weights {@code w}, the backend's backward result must match central finite differences of the float64
 * reference forward ({@code h = 1e-5}), within {@code 1e-4 + 1e-3·|fd|}. Inputs are small; this checks the
 * formulas, the reference comparisons check the precision.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class GradientCheckTest extends ConformanceTest {

    private static final double H = 1e-5;
    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;

    GradientCheckTest(String backend) {
        super(backend);
    }

    /** Central differences of f at x, one coordinate at a time. */
    static double[] numericGradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + H;
            double up = f.applyAsDouble(x);
            x[i] = keep - H;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * H);
        }
        return g;
    }

    static double weighted(double[] w, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }

    private void check(String what, double[] fd, Tensor actual) {
        assertClose(what + " vs finite differences", fd, actual.toFloatArray(), ATOL, RTOL);
    }

    @Test
    void softmaxBackward() {
        Shape xs = Shape.of(2, 1, 3, 5);
        Shape ms = Shape.of(2, 1, 1, 5);
        float[] x = randomFloats(xs.intSize(), -2, 2);
        float[] mask = {0, 0, 0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, 0, 0, 0};
        float[] w = randomFloats(xs.intSize());
        float scale = 0.7f;
        double[] wd = toDouble(w);
        double[] fd = numericGradient(v -> weighted(wd, Reference.softmax(v, xs, scale, toDouble(mask), ms)), toDouble(x));
        Tensor y = backend.softmax(backend.fromHost(x, xs), scale, backend.fromHost(mask, ms));
        check("softmax dx", fd, backend.softmaxBackward(y, backend.fromHost(w, xs), scale));
    }

    @Test
    void layerNormBackward() {
        int rows = 3;
        int d = 6;
        double eps = 1e-5;
        float[] x = randomFloats(rows * d, -2, 2);
        float[] gamma = randomFloats(d, 0.5, 1.5);
        float[] beta = randomFloats(d);
        float[] w = randomFloats(rows * d);
        double[] xd = toDouble(x);
        double[] gd = toDouble(gamma);
        double[] bd = toDouble(beta);
        double[] wd = toDouble(w);
        double[] fdX = numericGradient(v -> weighted(wd, Reference.layerNorm(v, gd, bd, d, eps)[0]), xd.clone());
        double[] fdGamma = numericGradient(v -> weighted(wd, Reference.layerNorm(xd, v, bd, d, eps)[0]), gd.clone());
        double[] fdBeta = numericGradient(v -> weighted(wd, Reference.layerNorm(xd, gd, v, d, eps)[0]), bd.clone());

        Tensor tx = tensor(x, rows, d);
        Tensor tg = tensor(gamma, d);
        LayerNormOutput out = backend.layerNorm(tx, tg, tensor(beta, d), (float) eps);
        LayerNormGradients g = backend.layerNormBackward(tensor(w, rows, d), tx, tg, out.mean(), out.rstd());
        check("layerNorm dx", fdX, g.dx());
        check("layerNorm dgamma", fdGamma, g.dgamma());
        check("layerNorm dbeta", fdBeta, g.dbeta());
    }

    @Test
    void crossEntropyGradient() {
        int n = 4;
        int v = 7;
        float[] logits = randomFloats(n * v, -3, 3);
        int[] targets = {1, 0, 6, 3};
        float smoothing = 0.1f;
        float gradScale = 0.25f;
        double[] fd = numericGradient(x -> {
            double[] loss = Reference.crossEntropy(x, v, targets, smoothing, 0, gradScale)[0];
            double s = 0;
            for (double l : loss) {
                s += gradScale * l;
            }
            return s;
        }, toDouble(logits));
        CrossEntropyOutput out = backend.crossEntropyWithGradient(tensor(logits, n, v), targets, smoothing, 0, gradScale);
        check("crossEntropy dlogits (row 1 is padding)", fd, out.grad());
    }

    @Test
    void matmulGradientsAreProductsWithTransposes() {
        Shape as = Shape.of(3, 5);
        Shape bs = Shape.of(5, 4);
        float[] a = randomFloats(15);
        float[] b = randomFloats(20);
        float[] g = randomFloats(12);
        double[] ad = toDouble(a);
        double[] bd = toDouble(b);
        double[] gd = toDouble(g);
        double[] fdA = numericGradient(v -> weighted(gd, Reference.matmul(v, as, bd, bs, false, false)), ad.clone());
        double[] fdB = numericGradient(v -> weighted(gd, Reference.matmul(ad, as, v, bs, false, false)), bd.clone());
        Tensor ta = backend.fromHost(a, as);
        Tensor tb = backend.fromHost(b, bs);
        Tensor tg = tensor(g, 3, 4);
        check("matmul dA = G·Bᵀ", fdA, backend.matmul(tg, tb, false, true));
        check("matmul dB = Aᵀ·G", fdB, backend.matmul(ta, tg, true, false));
    }

    @Test
    void reluBackward() {
        float[] x = randomFloats(20);
        for (int i = 0; i < x.length; i++) {
            x[i] += x[i] >= 0 ? 0.1f : -0.1f; // keep away from the kink
        }
        float[] w = randomFloats(20);
        double[] wd = toDouble(w);
        double[] fd = numericGradient(v -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += wd[i] * Math.max(0, v[i]);
            }
            return s;
        }, toDouble(x));
        check("relu dx", fd, backend.reluBackward(tensor(w, 20), backend.relu(tensor(x, 20))));
    }

    @Test
    void embeddingGradientIsScatterAdd() {
        int vocab = 5;
        int d = 3;
        int[] ids = {4, 1, 4, 0};
        float[] table = randomFloats(vocab * d);
        float[] w = randomFloats(ids.length * d);
        double[] wd = toDouble(w);
        double[] fd = numericGradient(t -> {
            double s = 0;
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < d; j++) {
                    s += wd[i * d + j] * t[ids[i] * d + j];
                }
            }
            return s;
        }, toDouble(table));
        Tensor grad = backend.zeros(Shape.of(vocab, d));
        backend.scatterAddInPlace(grad, ids, tensor(w, ids.length, d));
        check("gather dtable", fd, grad);
    }

    @Test
    void dropoutBackwardIsTheSameMaskOnTheGradient() {
        int n = 50;
        float p = 0.3f;
        long seed = 99;
        float[] x = randomFloats(n);
        float[] w = randomFloats(n);
        double[] wd = toDouble(w);
        double[] fd = numericGradient(v -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += wd[i] * (Reference.keep(seed, i, p) ? v[i] / (1 - (double) p) : 0);
            }
            return s;
        }, toDouble(x));
        check("dropout dx", fd, backend.dropout(tensor(w, n), p, seed));
    }

    @Test
    void broadcastAddGradientSumsOverLeadingAxes() {
        Shape as = Shape.of(2, 3, 4);
        Shape bs = Shape.of(3, 4);
        float[] a = randomFloats(24);
        float[] b = randomFloats(12);
        float[] w = randomFloats(24);
        double[] ad = toDouble(a);
        double[] wd = toDouble(w);
        double[] fd = numericGradient(v -> {
            double s = 0;
            for (int i = 0; i < ad.length; i++) {
                s += wd[i] * (ad[i] + v[i % v.length]);
            }
            return s;
        }, toDouble(b));
        Tensor tw = backend.fromHost(w, as);
        check("add db", fd, backend.sum(backend.reshape(tw, Shape.of(2, 12)), 0));
    }

    @Test
    void permuteGradientIsTheInversePermutation() {
        Shape xs = Shape.of(2, 3, 4);
        int[] axes = {2, 0, 1};
        int[] inverse = {1, 2, 0};
        float[] x = randomFloats(24);
        float[] w = randomFloats(24);
        double[] wd = toDouble(w);
        double[] fd = numericGradient(v -> weighted(wd, Reference.permute(v, xs, axes)), toDouble(x));
        Tensor tw = backend.fromHost(w, Shape.of(4, 2, 3));
        check("permute dx", fd, backend.permute(tw, inverse));
    }
}
