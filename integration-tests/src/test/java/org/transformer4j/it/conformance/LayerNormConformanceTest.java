package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * layerNorm forward (output, mean, rstd) and backward (dx, dgamma, dbeta). Tolerances: outputs and row
 * statistics within {@code 2e-5 + 2e-5·|ref|}; gradients within {@code 1e-4 + 2e-5·|ref|} (dgamma and dbeta
 * are sums over rows).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class LayerNormConformanceTest extends ConformanceTest {

    private static final double EPS = 1e-5;

    LayerNormConformanceTest(String backend) {
        super(backend);
    }

    static List<Arguments> shapes() {
        return List.of(Arguments.of((Object) new int[] {1, 1}), Arguments.of((Object) new int[] {7, 33}),
                Arguments.of((Object) new int[] {129, 7}), Arguments.of((Object) new int[] {3, 5, 64}),
                Arguments.of((Object) new int[] {2, 512}), Arguments.of((Object) new int[] {33}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forwardAndBackwardMatchReference(int[] dims) {
        Shape xs = Shape.of(dims);
        int d = xs.last();
        float[] x = randomFloats(xs.intSize(), -3, 3);
        float[] gamma = randomFloats(d, 0.5, 1.5);
        float[] beta = randomFloats(d);
        float[] dy = randomFloats(xs.intSize());
        Tensor tx = backend.fromHost(x, xs);
        Tensor tg = tensor(gamma, d);
        LayerNormOutput out = backend.layerNorm(tx, tg, tensor(beta, d), (float) EPS);

        double[][] ref = Reference.layerNorm(toDouble(x), toDouble(gamma), toDouble(beta), d, EPS);
        assertEquals(xs.drop(-1), out.mean().shape());
        assertClose("layerNorm y", ref[0], out.y().toFloatArray(), 2e-5, 2e-5);
        assertClose("layerNorm mean", ref[1], out.mean().toFloatArray(), 2e-5, 2e-5);
        assertClose("layerNorm rstd", ref[2], out.rstd().toFloatArray(), 2e-5, 2e-5);

        LayerNormGradients g = backend.layerNormBackward(backend.fromHost(dy, xs), tx, tg, out.mean(), out.rstd());
        double[][] refG = Reference.layerNormBackward(toDouble(dy), toDouble(x), toDouble(gamma), d, EPS);
        assertClose("layerNorm dx", refG[0], g.dx().toFloatArray(), 1e-4, 2e-5);
        assertClose("layerNorm dgamma", refG[1], g.dgamma().toFloatArray(), 1e-4, 2e-5);
        assertClose("layerNorm dbeta", refG[2], g.dbeta().toFloatArray(), 1e-4, 2e-5);
    }

    @Test
    void rejectsParametersOfTheWrongLength() {
        Tensor x = backend.zeros(Shape.of(4, 8));
        Tensor gamma = backend.zeros(Shape.of(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.layerNorm(x, gamma, gamma, 1e-5f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[8]"), e.getMessage());
    }
}
