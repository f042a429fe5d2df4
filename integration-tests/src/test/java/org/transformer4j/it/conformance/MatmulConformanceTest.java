package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * {@code matmul}, plain and batched, with every combination of transpose flags, at odd sizes and at sizes
 * that cross the CPU kernel's block edges (4-row and 16-column tiles, 64-row and 256-deep blocks, 2048-wide
 * panels).
 *
 * <p>Tolerance: float32 sums of K products drift by about √K units of roundoff relative to the sum of the
 * products' magnitudes, so {@code |out − ref| ≤ 1e-6·√K·Σ_k|a_ik·b_kj| + 1e-6}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class MatmulConformanceTest extends ConformanceTest {

    MatmulConformanceTest(String backend) {
        super(backend);
    }

    static List<Arguments> matrices() {
        int[][] sizes = {{1, 1, 1}, {1, 129, 7}, {7, 33, 129}, {33, 7, 1}, {4, 64, 33}, {129, 129, 33},
                {130, 257, 65}, {9, 513, 2065}, {65, 300, 17}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("matrices")
    void matrixProductMatchesReference(int m, int k, int n, boolean ta, boolean tb) {
        check(new int[0], m, k, n, ta, tb);
    }

    static List<Arguments> batches() {
        return List.of(
                Arguments.of(new int[] {1}, 7, 33, 5, false, false),
                Arguments.of(new int[] {3}, 7, 33, 5, true, false),
                Arguments.of(new int[] {16}, 64, 64, 64, false, true),
                Arguments.of(new int[] {2, 4}, 33, 7, 129, false, false),
                Arguments.of(new int[] {2, 3}, 17, 65, 9, true, true));
    }

    @ParameterizedTest(name = "batch {0} of {1}x{2}x{3} transA={4} transB={5}")
    @MethodSource("batches")
    void batchedProductMatchesReference(int[] batch, int m, int k, int n, boolean ta, boolean tb) {
        check(batch, m, k, n, ta, tb);
    }

    private void check(int[] batch, int m, int k, int n, boolean ta, boolean tb) {
        Shape as = withBatch(batch, ta ? k : m, ta ? m : k);
        Shape bs = withBatch(batch, tb ? n : k, tb ? k : n);
        float[] a = randomFloats(as.intSize());
        float[] b = randomFloats(bs.intSize());
        Tensor out = backend.matmul(backend.fromHost(a, as), backend.fromHost(b, bs), ta, tb);

        Shape expectedShape = withBatch(batch, m, n);
        org.junit.jupiter.api.Assertions.assertEquals(expectedShape, out.shape());
        double[] ref = Reference.matmul(toDouble(a), as, toDouble(b), bs, ta, tb);
        double[] scale = Reference.matmulAbs(toDouble(a), as, toDouble(b), bs, ta, tb);
        double[] bound = new double[ref.length];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = 1e-6 * Math.sqrt(k) * scale[i] + 1e-6;
        }
        assertWithin("matmul " + as + (ta ? "ᵀ" : "") + " · " + bs + (tb ? "ᵀ" : ""), ref, out.toFloatArray(), bound);
    }

    private static Shape withBatch(int[] batch, int rows, int cols) {
        int[] dims = new int[batch.length + 2];
        System.arraycopy(batch, 0, dims, 0, batch.length);
        dims[batch.length] = rows;
        dims[batch.length + 1] = cols;
        return Shape.of(dims);
    }
}
