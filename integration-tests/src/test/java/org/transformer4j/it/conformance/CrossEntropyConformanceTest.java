package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * Label-smoothed softmax cross-entropy: per-row loss and nll within {@code 1e-5 + 1e-5·|ref|}, the scaled
 * gradient within {@code 1e-7 + 1e-5·|ref|}; padding rows contribute exactly zero.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class CrossEntropyConformanceTest extends ConformanceTest {

    CrossEntropyConformanceTest(String backend) {
        super(backend);
    }

    @ParameterizedTest(name = "N={0} V={1} smoothing={2}")
    @CsvSource({"1, 1, 0.0", "7, 33, 0.0", "7, 33, 0.1", "129, 1000, 0.1", "3, 8000, 0.2"})
    void lossNllAndGradientMatchReference(int n, int v, float smoothing) {
        float[] logits = randomFloats(n * v, -5, 5);
        int[] targets = randomIds(n, v);
        int ignore = v > 1 ? v - 1 : -1;
        if (n > 2) {
            targets[1] = ignore; // a padding row
        }
        float gradScale = 1f / n;
        Tensor t = tensor(logits, n, v);
        double[][] ref = Reference.crossEntropy(toDouble(logits), v, targets, smoothing, ignore, gradScale);

        CrossEntropyOutput withGrad = backend.crossEntropyWithGradient(t, targets, smoothing, ignore, gradScale);
        assertClose("loss", ref[0], withGrad.loss().toFloatArray(), 1e-5, 1e-5);
        assertClose("nll", ref[1], withGrad.nll().toFloatArray(), 1e-5, 1e-5);
        assertClose("grad", ref[2], withGrad.grad().toFloatArray(), 1e-7, 1e-5);

        Tensor overwritten = backend.copy(t);
        CrossEntropyOutput inPlace = backend.crossEntropyGradientInPlace(overwritten, targets, smoothing, ignore, gradScale);
        org.junit.jupiter.api.Assertions.assertSame(overwritten, inPlace.grad());
        assertClose("in-place loss", ref[0], inPlace.loss().toFloatArray(), 1e-5, 1e-5);
        assertClose("in-place grad", ref[2], overwritten.toFloatArray(), 1e-7, 1e-5);

        CrossEntropyOutput lossOnly = backend.crossEntropy(t, targets, smoothing, ignore);
        assertNull(lossOnly.grad());
        assertClose("loss without gradient", ref[0], lossOnly.loss().toFloatArray(), 1e-5, 1e-5);
        assertClose("nll without gradient", ref[1], lossOnly.nll().toFloatArray(), 1e-5, 1e-5);
    }

    @Test
    void rejectsTargetsOutsideTheVocabularyAndMismatchedCounts() {
        Tensor logits = backend.zeros(Shape.of(2, 5));
        assertThrows(IllegalArgumentException.class, () -> backend.crossEntropy(logits, new int[] {1, 5}, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.crossEntropy(logits, new int[] {1}, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.crossEntropy(logits, new int[] {1, 2}, 1f, 0));
    }
}
