package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * add, mul (with suffix broadcasting), scale, addInPlace, relu and its backward, dropout. These are single
 * float32 operations per element: the tolerance is one rounding, {@code 1e-7 + 1e-6·|ref|}; dropout's mask is
 * compared exactly against the definition.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class ElementwiseConformanceTest extends ConformanceTest {

    private static final double ATOL = 1e-7;
    private static final double RTOL = 1e-6;

    ElementwiseConformanceTest(String backend) {
        super(backend);
    }

    static List<Arguments> broadcasts() {
        return List.of(
                Arguments.of(new int[] {1}, new int[] {1}),
                Arguments.of(new int[] {7, 33}, new int[] {7, 33}),
                Arguments.of(new int[] {129, 33}, new int[] {33}),
                Arguments.of(new int[] {3, 7, 33}, new int[] {7, 33}),
                Arguments.of(new int[] {2, 5, 7}, new int[0]),
                Arguments.of(new int[] {4, 1, 9}, new int[] {1, 9}));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("broadcasts")
    void addAndMulBroadcastTheSecondOperandOverLeadingAxes(int[] aDims, int[] bDims) {
        float[] a = randomFloats(Shape.of(aDims).intSize());
        float[] b = randomFloats(Shape.of(bDims).intSize());
        Tensor ta = tensor(a, aDims);
        Tensor tb = tensor(b, bDims);
        double[] sum = new double[a.length];
        double[] product = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = (double) a[i] + b[i % b.length];
            product[i] = (double) a[i] * b[i % b.length];
        }
        assertClose("add", sum, backend.add(ta, tb).toFloatArray(), ATOL, RTOL);
        Tensor acc = backend.copy(ta);
        backend.addInPlace(acc, tb, 1f);
        assertClose("addInPlace broadcast", sum, acc.toFloatArray(), ATOL, RTOL);
        assertClose("mul", product, backend.mul(ta, tb).toFloatArray(), ATOL, RTOL);
        assertEquals(Shape.of(aDims), backend.add(ta, tb).shape());
    }

    @Test
    void addRejectsAShapeThatIsNotASuffix() {
        Tensor a = backend.zeros(Shape.of(3, 4));
        Tensor b = backend.zeros(Shape.of(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.add(a, b));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 33, 129, 100_003})
    void scaleAddInPlaceAndRelu(int n) {
        float[] x = randomFloats(n);
        float[] y = randomFloats(n);
        Tensor tx = tensor(x, n);
        Tensor ty = tensor(y, n);

        double[] scaled = new double[n];
        double[] axpy = new double[n];
        double[] relu = new double[n];
        double[] reluGrad = new double[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = -2.5 * x[i];
            axpy[i] = y[i] + 0.75 * x[i];
            relu[i] = Math.max(0, x[i]);
            reluGrad[i] = x[i] > 0 ? y[i] : 0;
        }
        assertClose("scale", scaled, backend.scale(tx, -2.5f).toFloatArray(), ATOL, RTOL);
        Tensor r = backend.relu(tx);
        assertClose("relu", relu, r.toFloatArray(), 0, 0);
        assertClose("reluBackward", reluGrad, backend.reluBackward(ty, r).toFloatArray(), 0, 0);
        backend.addInPlace(ty, tx, 0.75f);
        assertClose("addInPlace", axpy, ty.toFloatArray(), ATOL, RTOL);
        assertArrayEquals(x, tx.toFloatArray(), "addInPlace must not change its second argument");
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0f, 0.1f, 0.5f, 0.9f})
    void dropoutFollowsTheSpecifiedMaskExactly(float p) {
        int n = 40_000;
        float[] x = randomFloats(n);
        long seed = 1234567L;
        float[] y = backend.dropout(tensor(x, 200, 200), p, seed).toFloatArray();
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            boolean keep = Reference.keep(seed, i, p);
            float expected = keep ? x[i] * (1f / (1f - p)) : 0f;
            if (!keep) {
                dropped++;
            }
            assertEquals(expected, y[i], Math.abs(expected) * 1e-6f, "element " + i);
        }
        // The mask is a fair coin of bias p: with 40,000 draws the fraction is within 0.01 of p.
        assertEquals(p, dropped / (double) n, 0.01);
    }

    @Test
    void dropoutMasksDifferBySeedAndRepeatForTheSameSeed() {
        Tensor x = tensor(randomFloats(1000), 1000);
        float[] a = backend.dropout(x, 0.5f, 1).toFloatArray();
        float[] b = backend.dropout(x, 0.5f, 1).toFloatArray();
        float[] c = backend.dropout(x, 0.5f, 2).toFloatArray();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c), "another seed gives another mask");
    }

    @Test
    void dropoutRejectsProbabilitiesOutsideZeroToOne() {
        Tensor x = backend.zeros(Shape.of(4));
        assertThrows(IllegalArgumentException.class, () -> backend.dropout(x, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.dropout(x, -0.1f, 0));
    }
}
