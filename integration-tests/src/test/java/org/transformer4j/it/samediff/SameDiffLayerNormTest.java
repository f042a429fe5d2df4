package org.transformer4j.it.samediff;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.LayerNorm;
import org.transformer4j.model.nn.Parameter;

/**
 * Our model's {@link LayerNorm} on the cpu backend against SameDiff's {@code layerNorm} (in float64), with the
 * same gain, bias and inputs: the output and the gradients of the input, gain and bias (SameDiff's from its
 * autodiff, of the loss {@code Σ y ⊙ dy}).
 *
 * <p>SameDiff normalises by the standard deviation plus 1e-12 ({@code standardize}), where we use
 * {@code 1/sqrt(var + eps)}; with our eps at 0 both are the same function (up to 1e-12 relative), so that is
 * what is compared. Every tensor must agree within {@value #TOLERANCE} of its largest element (measured: about
 * 1e-7, float32 rounding); the widths include the model's (64, 512) and odd ones.
 */
class SameDiffLayerNormTest {

    static final double TOLERANCE = 2e-6;

    private final SplittableRandom random = new SplittableRandom(11);

    private float[] uniform(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(lo, hi);
        }
        return x;
    }

    private static INDArray matrix(float[] x, int rows, int cols) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return Nd4j.createFromArray(d).reshape(rows, cols);
    }

    private static double[] flat(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void outputAndGradientsAgreeWithSameDiff() {
        Compare c = new Compare();
        try (Backend cpu = Backends.open("cpu", BackendOptions.threads(1)); TensorScope scope = TensorScope.open()) {
            for (int[] shape : new int[][] {{7, 64}, {33, 17}, {4, 512}}) {
                int rows = shape[0];
                int d = shape[1];
                float[] x = uniform(rows * d, -3, 3);
                float[] gain = uniform(d, 0.5, 1.5);
                float[] bias = uniform(d, -1, 1);
                float[] dy = uniform(rows * d, -1, 1);

                Parameter g = new Parameter("gain", cpu.fromHost(gain, Shape.of(d)));
                Parameter b = new Parameter("bias", cpu.fromHost(bias, Shape.of(d)));
                LayerNorm norm = new LayerNorm(cpu, g, b, 0f);
                Tensor tx = cpu.fromHost(x, Shape.of(rows, d));
                LayerNormOutput out = norm.forward(tx);
                Tensor dx = norm.backward(tx, out, cpu.fromHost(dy, Shape.of(rows, d)));

                SameDiff sd = SameDiff.create();
                SDVariable sx = sd.var("x", matrix(x, rows, d));
                SDVariable sg = sd.var("gain", matrix(gain, 1, d).reshape(d));
                SDVariable sb = sd.var("bias", matrix(bias, 1, d).reshape(d));
                SDVariable y = sd.nn().layerNorm("y", sx, sg, sb, false, 1);
                sd.setLossVariables(y.mul(sd.constant("dy", matrix(dy, rows, d))).sum("loss"));
                INDArray sy = sd.output(Map.of(), "y").get("y");
                Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "gain", "bias");

                String at = rows + "x" + d + " ";
                c.check(at + "y", out.y().toFloatArray(), flat(sy), TOLERANCE);
                c.check(at + "dx", dx.toFloatArray(), flat(grads.get("x")), TOLERANCE);
                c.check(at + "d gain", g.gradient().toFloatArray(), flat(grads.get("gain")), TOLERANCE);
                c.check(at + "d bias", b.gradient().toFloatArray(), flat(grads.get("bias")), TOLERANCE);
                g.close();
                b.close();
            }
        }
        System.out.println("layer norm: " + c.report());
        c.assertAllAgree("layer norm");
    }
}
