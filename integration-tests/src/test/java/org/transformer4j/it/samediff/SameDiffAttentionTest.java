package org.transformer4j.it.samediff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.Linear;
import org.transformer4j.model.nn.MultiHeadAttention;
import org.transformer4j.model.nn.Parameter;

/**
 * Our model's {@link MultiHeadAttention} on the cpu backend against SameDiff's
 * {@code multiHeadDotProductAttention} (ND4J's autodiff graph: code nobody here wrote), with the same weights
 * and inputs, forward and every gradient (SameDiff's from its own autodiff), with and without a padding mask.
 *
 * <p>The same mathematics in SameDiff's layout: inputs {@code [batch, features, time]} instead of our rows
 * {@code (batch·time, features)}; {@code Wq[h, j, f] = W_q[h·d_k + j, f]} (our {@code [out, in]} weight cut into
 * heads); {@code Wo = W_oᵀ}; scaled by {@code 1/sqrt(d_k)}. SameDiff's op has no biases, so each input gets a
 * constant feature 1 and each {@code W} a last column holding our bias (then its gradient is our bias's);
 * the output bias is added after the op. Its mask is one flag per key, {@code [batch, keys]} (1 keeps, 0
 * hides), which expresses padding masks; the decoder's causal mask is left to the conformance suite.
 *
 * <p>SameDiff computes in float64, we in float32: every tensor must agree within
 * {@value #TOLERANCE} of its largest element (measured: 5e-8 to 3e-7, float32 rounding). And the check can
 * fail: our masked result must disagree with SameDiff run without the mask (by 0.4 to 1.3 of the scale).
 */
class SameDiffAttentionTest {

    /** Scaled error allowed: float32 rounding through four products and a softmax, with a margin of about 7. */
    static final double TOLERANCE = 2e-6;

    private static final int BATCH = 3;
    private static final int QUERIES = 5;
    private static final int KEYS = 7;
    private static final int D = 16;
    private static final int HEADS = 4;
    private static final int DK = D / HEADS;
    private static final int[] LENGTHS = {7, 4, 2};

    private final SplittableRandom random = new SplittableRandom(20261124);
    private Backend cpu;
    private TensorScope scope;

    @BeforeEach
    void open() {
        cpu = Backends.open("cpu", BackendOptions.threads(1));
        scope = TensorScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
        cpu.close();
    }

    private float[] uniform(int n, double bound) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-bound, bound);
        }
        return x;
    }

    /** One attention's weights, as our parameters hold them ({@code [out, in]} weights, biases). */
    private final class Weights {
        final float[][] w = new float[4][];
        final float[][] b = new float[4][];
        final Parameter[] weights = new Parameter[4];
        final Parameter[] biases = new Parameter[4];

        Weights() {
            for (int i = 0; i < 4; i++) {
                w[i] = uniform(D * D, 2 / Math.sqrt(D));
                b[i] = uniform(D, 0.5);
                weights[i] = new Parameter("w" + i, cpu.fromHost(w[i], Shape.of(D, D)));
                biases[i] = new Parameter("b" + i, cpu.fromHost(b[i], Shape.of(D)));
            }
        }

        MultiHeadAttention attention() {
            Linear[] l = new Linear[4];
            for (int i = 0; i < 4; i++) {
                l[i] = new Linear(cpu, weights[i], biases[i]);
            }
            return new MultiHeadAttention(cpu, l[0], l[1], l[2], l[3], HEADS);
        }
    }

    /** Our rows {@code (batch·time, D)} as SameDiff's {@code [batch, D + 1, time]}, the extra feature being 1. */
    private static INDArray toSameDiffInput(float[] rows, int time) {
        double[] out = new double[BATCH * (D + 1) * time];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < time; t++) {
                for (int f = 0; f < D; f++) {
                    out[(b * (D + 1) + f) * time + t] = rows[(b * time + t) * D + f];
                }
                out[(b * (D + 1) + D) * time + t] = 1;
            }
        }
        return Nd4j.createFromArray(out).reshape(BATCH, D + 1, time);
    }

    /** SameDiff's {@code [batch, D(+1), time]} (gradient of an input) back to our rows, dropping the constant feature. */
    private static double[] fromSameDiffInput(INDArray x, int time) {
        double[] flat = x.dup('c').data().asDouble();
        int features = (int) x.size(1);
        double[] rows = new double[BATCH * time * D];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < time; t++) {
                for (int f = 0; f < D; f++) {
                    rows[(b * time + t) * D + f] = flat[(b * features + f) * time + t];
                }
            }
        }
        return rows;
    }

    /** Our {@code W [H·dk, D]} and bias {@code [H·dk]} as SameDiff's {@code [H, dk, D + 1]}. */
    private static INDArray toSameDiffProjection(float[] w, float[] bias) {
        double[] out = new double[HEADS * DK * (D + 1)];
        for (int o = 0; o < D; o++) { // o = h·dk + j, the row of our weight
            for (int f = 0; f < D; f++) {
                out[o * (D + 1) + f] = w[o * D + f];
            }
            out[o * (D + 1) + D] = bias[o];
        }
        return Nd4j.createFromArray(out).reshape(HEADS, DK, D + 1);
    }

    /** The gradient of SameDiff's {@code [H, dk, D + 1]} split back into our weight's and bias's. */
    private static double[][] fromSameDiffProjection(INDArray g) {
        double[] flat = g.dup('c').data().asDouble();
        double[] w = new double[D * D];
        double[] b = new double[D];
        for (int o = 0; o < D; o++) {
            System.arraycopy(flat, o * (D + 1), w, o * D, D);
            b[o] = flat[o * (D + 1) + D];
        }
        return new double[][] {w, b};
    }

    private static INDArray transpose(float[] w) {
        double[] t = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                t[j * D + i] = w[i * D + j];
            }
        }
        return Nd4j.createFromArray(t).reshape(D, D);
    }

    private static double[] transposeBack(INDArray g) {
        double[] flat = g.dup('c').data().asDouble();
        double[] t = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                t[i * D + j] = flat[j * D + i];
            }
        }
        return t;
    }

    /** What SameDiff computed: the output as our rows, and the gradients in our layouts. */
    private record Reference(double[] output, double[] dQuery, double[] dKeyValue, double[][][] dProjections,
            double[] dWo, double[] dBo) {
    }

    /**
     * SameDiff's attention of {@code query} rows over {@code keyValue} rows (the same variable for self-attention),
     * with the loss {@code Σ out ⊙ dOut}, whose gradients are the backward pass of {@code dOut}.
     */
    private static Reference sameDiff(Weights w, float[] query, float[] keyValue, boolean self, int queries, int keys,
            float[] dOut, int[] lengths) {
        SameDiff sd = SameDiff.create();
        SDVariable q = sd.var("q", toSameDiffInput(query, queries));
        SDVariable kv = self ? q : sd.var("kv", toSameDiffInput(keyValue, keys));
        SDVariable wq = sd.var("wq", toSameDiffProjection(w.w[0], w.b[0]));
        SDVariable wk = sd.var("wk", toSameDiffProjection(w.w[1], w.b[1]));
        SDVariable wv = sd.var("wv", toSameDiffProjection(w.w[2], w.b[2]));
        SDVariable wo = sd.var("wo", transpose(w.w[3]));
        SDVariable bo = sd.var("bo", toDouble(w.b[3]).reshape(1, D, 1));
        SDVariable mask = null;
        if (lengths != null) {
            double[] m = new double[BATCH * keys];
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < lengths[b]; t++) {
                    m[b * keys + t] = 1;
                }
            }
            mask = sd.constant("mask", Nd4j.createFromArray(m).reshape(BATCH, keys));
        }
        SDVariable attention = sd.nn().multiHeadDotProductAttention("attention", q, kv, kv, wq, wk, wv, wo, mask, true);
        SDVariable out = attention.add("out", bo);
        double[] g = new double[BATCH * D * queries];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < queries; t++) {
                for (int o = 0; o < D; o++) {
                    g[(b * D + o) * queries + t] = dOut[(b * queries + t) * D + o];
                }
            }
        }
        SDVariable loss = out.mul(sd.constant("dOut", Nd4j.createFromArray(g).reshape(BATCH, D, queries))).sum("loss");
        sd.setLossVariables(loss);

        INDArray output = sd.output(Map.of(), "out").get("out");
        Map<String, INDArray> grads = self
                ? sd.calculateGradients(Map.of(), "q", "wq", "wk", "wv", "wo", "bo")
                : sd.calculateGradients(Map.of(), "q", "kv", "wq", "wk", "wv", "wo", "bo");
        double[] outRows = new double[BATCH * queries * D];
        double[] outFlat = output.dup('c').data().asDouble();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < queries; t++) {
                for (int o = 0; o < D; o++) {
                    outRows[(b * queries + t) * D + o] = outFlat[(b * D + o) * queries + t];
                }
            }
        }
        return new Reference(outRows, fromSameDiffInput(grads.get("q"), queries),
                self ? null : fromSameDiffInput(grads.get("kv"), keys),
                new double[][][] {fromSameDiffProjection(grads.get("wq")), fromSameDiffProjection(grads.get("wk")),
                        fromSameDiffProjection(grads.get("wv"))},
                transposeBack(grads.get("wo")), grads.get("bo").dup('c').data().asDouble());
    }

    private static INDArray toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return Nd4j.createFromArray(d);
    }

    /** Ours: forward and backward of the same attention; returns the comparison of everything. */
    private Compare compare(boolean self, int[] lengths, boolean maskForSameDiff) {
        int keys = self ? QUERIES : KEYS;
        Weights w = new Weights();
        MultiHeadAttention attention = w.attention();
        float[] query = uniform(BATCH * QUERIES * D, 1);
        float[] keyValue = self ? query : uniform(BATCH * keys * D, 1);
        float[] dOut = uniform(BATCH * QUERIES * D, 1);
        Tensor q = cpu.fromHost(query, Shape.of(BATCH * QUERIES, D));
        Tensor kv = self ? q : cpu.fromHost(keyValue, Shape.of(BATCH * keys, D));
        AttentionMask mask = lengths == null ? null : AttentionMask.padding(cpu, lengths, keys);
        MultiHeadAttention.Activations a = attention.forward(q, kv, BATCH, QUERIES, keys, mask);
        float[] output = a.output().toFloatArray();
        MultiHeadAttention.Gradients g = attention.backward(a, cpu.fromHost(dOut, Shape.of(BATCH * QUERIES, D)));

        Reference r = sameDiff(w, query, keyValue, self, QUERIES, keys, dOut, maskForSameDiff ? lengths : null);
        Compare c = new Compare();
        c.check("output", output, r.output(), TOLERANCE);
        if (self) {
            Tensor dx = cpu.copy(g.queryInput());
            cpu.addInPlace(dx, g.keyValueInput(), 1f);
            c.check("d input", dx.toFloatArray(), r.dQuery(), TOLERANCE);
        } else {
            c.check("d query input", g.queryInput().toFloatArray(), r.dQuery(), TOLERANCE);
            c.check("d key/value input", g.keyValueInput().toFloatArray(), r.dKeyValue(), TOLERANCE);
        }
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            c.check("d W_" + names[i], w.weights[i].gradient().toFloatArray(), r.dProjections()[i][0], TOLERANCE);
        }
        c.check("d b_q", w.biases[0].gradient().toFloatArray(), r.dProjections()[0][1], TOLERANCE);
        // The key bias adds q·b_k to every score of a query: the softmax cancels it, so its gradient is zero in
        // exact arithmetic (SameDiff's is ~1e-17) and ours must be zero to within the query bias's scale.
        c.check("d b_k", w.biases[1].gradient().toFloatArray(), r.dProjections()[1][1],
                Compare.maxAbs(r.dProjections()[0][1]), TOLERANCE);
        c.check("d b_v", w.biases[2].gradient().toFloatArray(), r.dProjections()[2][1], TOLERANCE);
        c.check("d W_o", w.weights[3].gradient().toFloatArray(), r.dWo(), TOLERANCE);
        c.check("d b_o", w.biases[3].gradient().toFloatArray(), r.dBo(), TOLERANCE);
        System.out.println((self ? "self-attention" : "encoder-decoder attention") + (lengths == null ? "" : ", padding mask")
                + (maskForSameDiff || lengths == null ? "" : " (not given to SameDiff)") + ": " + c.report());
        return c;
    }

    @Test
    void encoderDecoderAttentionWithoutMaskAgrees() {
        compare(false, null, false).assertAllAgree("no mask");
    }

    @Test
    void encoderDecoderAttentionWithPaddingMaskAgrees() {
        compare(false, LENGTHS, true).assertAllAgree("padding mask");
    }

    @Test
    void selfAttentionWithPaddingMaskAgrees() {
        compare(true, new int[] {5, 3, 1}, true).assertAllAgree("self-attention, padding mask");
    }

    @Test
    void theComparisonSeesTheMask() {
        // our masked attention against SameDiff's unmasked one: if either side ignored the mask, they would agree
        Compare c = compare(false, LENGTHS, false);
        assertTrue(c.error("output") > 100 * TOLERANCE, "masked and unmasked outputs agree: the mask makes no difference");
        assertTrue(c.error("d key/value input") > 100 * TOLERANCE, "masked and unmasked gradients agree");
    }
}
