package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/** gather (exact copies) and scatterAddInPlace (sums, within {@code 1e-7 + 1e-6·Σ|terms|}). */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class EmbeddingConformanceTest extends ConformanceTest {

    EmbeddingConformanceTest(String backend) {
        super(backend);
    }

    @ParameterizedTest(name = "V={0} D={1} ids={2}")
    @CsvSource({"1, 1, 1", "33, 7, 129", "1000, 64, 33", "5, 512, 300"})
    void gatherCopiesRowsAndScatterAddAccumulatesRepeatedIds(int v, int d, int n) {
        float[] table = randomFloats(v * d);
        int[] ids = randomIds(n, v);
        ids[n - 1] = ids[0]; // at least one repeat
        Tensor tt = tensor(table, v, d);
        float[] rows = backend.gather(tt, ids).toFloatArray();
        float[] expected = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(table, ids[i] * d, expected, i * d, d);
        }
        assertArrayEquals(expected, rows);

        float[] grad = randomFloats(n * d);
        float[] acc = randomFloats(v * d);
        double[] ref = toDouble(acc);
        double[] bound = Reference.abs(toDouble(acc));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                ref[ids[i] * d + j] += grad[i * d + j];
                bound[ids[i] * d + j] += Math.abs(grad[i * d + j]);
            }
        }
        for (int i = 0; i < bound.length; i++) {
            bound[i] = 1e-6 * bound[i] + 1e-7; // float32 sums drift with the number and size of their terms
        }
        Tensor target = tensor(acc, v, d);
        backend.scatterAddInPlace(target, ids, tensor(grad, n, d));
        assertWithin("scatterAdd", ref, target.toFloatArray(), bound);
    }

    @Test
    void idsOutsideTheTableAreRejectedWithTheirPosition() {
        Tensor table = backend.zeros(Shape.of(10, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gather(table, new int[] {1, 10}));
        assertTrue(e.getMessage().contains("id 10 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.gather(table, new int[] {-1}));
        assertThrows(IllegalArgumentException.class,
                () -> backend.scatterAddInPlace(table, new int[] {1, 2}, backend.zeros(Shape.of(3, 4))));
    }
}
