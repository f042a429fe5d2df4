package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TopK;

/**
 * sum and mean over any axis (within {@code 1e-5·Σ|x|}), argmax, top-k (exact, ties in index order),
 * permute/copy/reshape (exact) and the host copies.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class ReductionAndLayoutConformanceTest extends ConformanceTest {

    ReductionAndLayoutConformanceTest(String backend) {
        super(backend);
    }

    static List<Arguments> reductions() {
        return List.of(Arguments.of(new int[] {1}, 0), Arguments.of(new int[] {129}, 0),
                Arguments.of(new int[] {7, 33}, 0), Arguments.of(new int[] {7, 33}, 1), Arguments.of(new int[] {7, 33}, -1),
                Arguments.of(new int[] {3, 7, 33}, 1), Arguments.of(new int[] {4096, 3}, 0), Arguments.of(new int[] {5, 600}, 0));
    }

    @ParameterizedTest(name = "{0} over axis {1}")
    @MethodSource("reductions")
    void sumAndMeanMatchReference(int[] dims, int axis) {
        Shape xs = Shape.of(dims);
        float[] x = randomFloats(xs.intSize());
        Tensor t = backend.fromHost(x, xs);
        int len = xs.dim(axis);
        double[] sum = Reference.sum(toDouble(x), xs, axis, 1);
        double[] scale = Reference.sum(Reference.abs(toDouble(x)), xs, axis, 1);
        double[] bound = new double[scale.length];
        double[] meanBound = new double[scale.length];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = 1e-5 * scale[i] + 1e-7;
            meanBound[i] = bound[i] / len;
        }
        Tensor s = backend.sum(t, axis);
        assertEquals(xs.drop(axis), s.shape());
        assertWithin("sum", sum, s.toFloatArray(), bound);
        assertWithin("mean", Reference.sum(toDouble(x), xs, axis, 1.0 / len), backend.mean(t, axis).toFloatArray(),
                meanBound);
    }

    @Test
    void argmaxFindsTheFirstLargestOfEachRow() {
        Tensor t = tensor(new float[] {1, 3, 3, 0, -1, -2, -1, -5, 7}, 3, 3);
        assertArrayEquals(new int[] {1, 0, 2}, backend.argmax(t));
    }

    @Test
    void topKGivesTheLargestFirstAndEqualValuesInIndexOrder() {
        Tensor t = tensor(new float[] {1, 3, 3, 0, -1, -2, -1, -5, 7, 7, 7, 7}, 3, 4);
        TopK top = backend.topK(t, 3);
        assertArrayEquals(new float[] {3, 3, 1, -1, -1, -2, 7, 7, 7}, top.values());
        assertArrayEquals(new int[] {1, 2, 0, 0, 2, 1, 0, 1, 2}, top.indices());
        assertThrows(IllegalArgumentException.class, () -> backend.topK(t, 5));
        assertThrows(IllegalArgumentException.class, () -> backend.topK(t, 0));
    }

    /** Rows as long as a vocabulary, with many ties (values on a coarse grid) and k as in beam search. */
    @ParameterizedTest(name = "k = {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 8, 33})
    void topKMatchesASortOfEachRow(int k) {
        int rows = 6;
        int d = 4000;
        float[] x = randomFloats(rows * d);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 40) / 40f;
        }
        x[3 * d + 5] = Float.NEGATIVE_INFINITY;
        TopK top = backend.topK(backend.fromHost(x, Shape.of(2, 3, d)), k);
        assertEquals(rows, top.rows());
        for (int r = 0; r < rows; r++) {
            int row = r;
            Integer[] order = new Integer[d];
            for (int j = 0; j < d; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> x[row * d + a] != x[row * d + b]
                    ? Float.compare(x[row * d + b], x[row * d + a]) : Integer.compare(a, b));
            for (int j = 0; j < k; j++) {
                assertEquals(order[j], top.index(r, j), "row " + r + ", place " + j);
                assertEquals(x[r * d + order[j]], top.value(r, j), "row " + r + ", place " + j);
            }
        }
    }

    static List<Arguments> concatenations() {
        return List.of(Arguments.of(new int[] {3, 5}, new int[] {2, 5}, 0),
                Arguments.of(new int[] {3, 5}, new int[] {3, 1}, 1),
                Arguments.of(new int[] {4, 2, 7, 16}, new int[] {4, 2, 1, 16}, 2),
                Arguments.of(new int[] {4, 2, 1, 16}, new int[] {4, 2, 5, 16}, -2),
                Arguments.of(new int[] {2, 3, 4}, new int[] {2, 3, 9}, -1));
    }

    @ParameterizedTest(name = "{0} and {1} on axis {2}")
    @MethodSource("concatenations")
    void concatJoinsAlongTheAxis(int[] aDims, int[] bDims, int axis) {
        Shape as = Shape.of(aDims);
        Shape bs = Shape.of(bDims);
        float[] a = randomFloats(as.intSize());
        float[] b = randomFloats(bs.intSize());
        Tensor c = backend.concat(backend.fromHost(a, as), backend.fromHost(b, bs), axis);
        int ax = axis < 0 ? axis + aDims.length : axis;
        int[] expected = aDims.clone();
        expected[ax] += bDims[ax];
        assertEquals(Shape.of(expected), c.shape());
        assertClose("concat", Reference.concat(toDouble(a), as, toDouble(b), bs, axis), c.toFloatArray(), 0, 0);
    }

    @Test
    void concatRefusesShapesThatDifferOffTheAxis() {
        Tensor a = backend.zeros(Shape.of(2, 3));
        Tensor b = backend.zeros(Shape.of(3, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.concat(a, b, 1));
    }

    static List<Arguments> permutations() {
        return List.of(Arguments.of(new int[] {7, 33}, new int[] {1, 0}),
                Arguments.of(new int[] {2, 5, 3, 8}, new int[] {0, 2, 1, 3}),
                Arguments.of(new int[] {3, 4, 5}, new int[] {2, 0, 1}),
                Arguments.of(new int[] {1, 7, 1, 9}, new int[] {3, 2, 1, 0}),
                Arguments.of(new int[] {129}, new int[] {0}));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("permutations")
    void permuteMovesEveryElementToItsPlace(int[] dims, int[] axes) {
        Shape xs = Shape.of(dims);
        float[] x = randomFloats(xs.intSize());
        Tensor p = backend.permute(backend.fromHost(x, xs), axes);
        double[] ref = Reference.permute(toDouble(x), xs, axes);
        assertClose("permute", ref, p.toFloatArray(), 0, 0);
        int[] expectedDims = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            expectedDims[i] = dims[axes[i]];
        }
        assertEquals(Shape.of(expectedDims), p.shape());
    }

    @Test
    void permuteRejectsWhatIsNotAPermutation() {
        Tensor x = backend.zeros(Shape.of(2, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.permute(x, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.permute(x, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.permute(x, 0, 2));
    }

    @Test
    void reshapeIsAViewCopyIsNot() {
        float[] x = randomFloats(24);
        Tensor t = tensor(x, 2, 3, 4);
        long before = backend.memory().inUse();
        Tensor view = backend.reshape(t, Shape.of(6, 4));
        assertEquals(before, backend.memory().inUse(), "a reshape allocates nothing");
        assertArrayEquals(x, view.toFloatArray());
        Tensor copy = backend.copy(t);
        assertEquals(before + 24L * Float.BYTES, backend.memory().inUse());
        backend.copyFromHost(new float[24], t);
        assertArrayEquals(new float[24], view.toFloatArray(), "the view sees writes to its storage");
        assertArrayEquals(x, copy.toFloatArray(), "the copy does not");
        assertThrows(IllegalArgumentException.class, () -> backend.reshape(t, Shape.of(5, 5)));
    }

    @Test
    void hostCopiesRoundTripAndCheckLengths() {
        float[] x = randomFloats(33);
        Tensor t = tensor(x, 3, 11);
        assertArrayEquals(x, backend.toHost(t));
        float[] into = new float[33];
        backend.toHost(t, into);
        assertArrayEquals(x, into);
        assertArrayEquals(new float[12], backend.zeros(Shape.of(3, 4)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> backend.fromHost(new float[5], Shape.of(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> backend.toHost(t, new float[32]));
        assertThrows(IllegalArgumentException.class, () -> backend.copyFromHost(new float[34], t));
    }
}
