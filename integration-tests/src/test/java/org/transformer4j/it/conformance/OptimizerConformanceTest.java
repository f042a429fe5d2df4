package org.transformer4j.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.testing.Reference;

/**
 * The fused Adam update and the squared norm. Adam runs several steps so that the moments carry over; the
 * parameters must stay within {@code 1e-6 + 1e-5·|ref|} of the float64 reference, the moments within
 * {@code 1e-7 + 1e-5·|ref|}; sumOfSquares within {@code 1e-6} relative.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class OptimizerConformanceTest extends ConformanceTest {

    OptimizerConformanceTest(String backend) {
        super(backend);
    }

    @ParameterizedTest(name = "n={0} gradScale={1}")
    @CsvSource({"1, 1.0", "7, 0.5", "129, 1.0", "100003, 0.25"})
    void adamMatchesTheReferenceOverSeveralSteps(int n, float gradScale) {
        float[] p = randomFloats(n);
        float[] m = new float[n];
        float[] v = new float[n];
        double[] rp = toDouble(p);
        double[] rm = new double[n];
        double[] rv = new double[n];
        Tensor tp = tensor(p, n);
        Tensor tm = tensor(m, n);
        Tensor tv = tensor(v, n);
        for (int step = 1; step <= 4; step++) {
            float[] g = randomFloats(n, -2, 2);
            float lr = 1e-3f * step;
            backend.adamStepInPlace(tp, tensor(g, n), tm, tv, new AdamStep(lr, 0.9f, 0.98f, 1e-9f, step, gradScale));
            Reference.adam(rp, toDouble(g), rm, rv, lr, 0.9f, 0.98f, 1e-9f, step, gradScale);
        }
        assertClose("m", rm, tm.toFloatArray(), 1e-7, 1e-5);
        assertClose("v", rv, tv.toFloatArray(), 1e-7, 1e-5);
        assertClose("param", rp, tp.toFloatArray(), 1e-6, 1e-5);
    }

    @Test
    void sumOfSquaresIsAccurate() {
        float[] x = randomFloats(300_001, -3, 3);
        double expected = 0;
        for (float f : x) {
            expected += (double) f * f;
        }
        assertEquals(expected, backend.sumOfSquares(tensor(x, 300_001)), expected * 1e-6);
    }

    @Test
    void adamRejectsMismatchedStateAndBadSettings() {
        Tensor p = backend.zeros(Shape.of(4));
        Tensor small = backend.zeros(Shape.of(3));
        AdamStep step = new AdamStep(1e-3f, 0.9f, 0.98f, 1e-9f, 1, 1f);
        assertThrows(IllegalArgumentException.class, () -> backend.adamStepInPlace(p, p, small, p, step));
        assertThrows(IllegalArgumentException.class, () -> new AdamStep(1e-3f, 1f, 0.98f, 1e-9f, 1, 1f));
        assertThrows(IllegalArgumentException.class, () -> new AdamStep(1e-3f, 0.9f, 0.98f, 1e-9f, 0, 1f));
    }
}
