package org.transformer4j.it.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * What every conformance test class shares: the backend under test (opened per test, skipped with its
 * reason when unavailable), a tensor scope per test, seeded random inputs, and comparisons against float64
 * references that report the worst element.
 *
 * <p>Subclasses are {@code @ParameterizedClass}es over {@link BackendsUnderTest#names()}.
 */
abstract class ConformanceTest {

    protected final String backendName;
    protected Backend backend;
    private TensorScope scope;
    protected final SplittableRandom random = new SplittableRandom(20261123);

    ConformanceTest(String backendName) {
        this.backendName = backendName;
    }

    @BeforeEach
    void openBackend() {
        backend = BackendsUnderTest.open(backendName);
        scope = TensorScope.open();
    }

    @AfterEach
    void closeBackend() {
        if (scope != null) {
            scope.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Uniform values in [-1, 1). */
    protected float[] randomFloats(int n) {
        return randomFloats(n, -1, 1);
    }

    protected float[] randomFloats(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(lo, hi);
        }
        return x;
    }

    protected int[] randomIds(int n, int limit) {
        return random.ints(n, 0, limit).toArray();
    }

    protected Tensor tensor(float[] data, int... dims) {
        return backend.fromHost(data, Shape.of(dims));
    }

    protected static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    /** Asserts |actual − expected| ≤ atol + rtol·|expected| everywhere, naming the worst element otherwise. */
    protected static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        double[] bound = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            bound[i] = atol + rtol * Math.abs(expected[i]);
        }
        assertWithin(what, expected, actual, bound);
    }

    /** Asserts |actual − expected| ≤ bound elementwise. */
    protected static void assertWithin(String what, double[] expected, float[] actual, double[] bound) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double ratio = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : err / bound[i];
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (worstRatio > 1) {
            fail(String.format("%s: element %d is %s, expected %s (error %.3g, allowed %.3g)", what, worst,
                    actual[worst], expected[worst], Math.abs(actual[worst] - expected[worst]), bound[worst]));
        }
    }
}
