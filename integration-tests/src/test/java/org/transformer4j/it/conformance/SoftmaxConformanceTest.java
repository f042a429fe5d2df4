package org.transformer4j.it.conformance;

import org.transformer4j.api.testing.Reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * softmax with scale and broadcast additive masks (padding, causal, random), its backward, and
 * log-softmax. Tolerances: probabilities within {@code 2e-6 + 1e-5·|ref|}; log-probabilities and gradients
 * within {@code 1e-5 + 1e-5·|ref|}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class SoftmaxConformanceTest extends ConformanceTest {

    SoftmaxConformanceTest(String backend) {
        super(backend);
    }

    enum MaskKind { NONE, PADDING, CAUSAL, RANDOM_FULL }

    static List<Arguments> cases() {
        int[][] shapes = {{1, 1}, {7, 33}, {33, 129}, {2, 3, 7, 7}, {3, 4, 5, 33}, {1, 2, 1, 1000}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (MaskKind k : MaskKind.values()) {
                if ((k == MaskKind.CAUSAL) && (s.length != 4 || s[2] != s[3])) {
                    continue;
                }
                out.add(Arguments.of(s, k, 1.0f));
                out.add(Arguments.of(s, k, 0.125f));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} mask={1} scale={2}")
    @MethodSource("cases")
    void softmaxAndBackwardMatchReference(int[] dims, MaskKind kind, float scale) {
        Shape xs = Shape.of(dims);
        float[] x = randomFloats(xs.intSize(), -4, 4);
        Shape ms = maskShape(xs, kind);
        float[] mask = ms == null ? null : mask(xs, ms, kind);

        Tensor y = backend.softmax(backend.fromHost(x, xs), scale, mask == null ? null : backend.fromHost(mask, ms));
        double[] ref = Reference.softmax(toDouble(x), xs, scale, mask == null ? null : toDouble(mask), ms);
        assertClose("softmax", ref, y.toFloatArray(), 2e-6, 1e-5);

        float[] dy = randomFloats(xs.intSize());
        Tensor dx = backend.softmaxBackward(y, backend.fromHost(dy, xs), scale);
        assertClose("softmaxBackward", Reference.softmaxBackward(ref, toDouble(dy), xs.last(), scale),
                dx.toFloatArray(), 1e-5, 1e-5);
    }

    /** A padding mask is [B, 1, 1, T]-like, causal [1, 1, T, T], random full-shape. */
    private static Shape maskShape(Shape xs, MaskKind kind) {
        int r = xs.rank();
        int[] dims = new int[r];
        java.util.Arrays.fill(dims, 1);
        switch (kind) {
            case NONE -> {
                return null;
            }
            case PADDING -> {
                dims[0] = xs.dim(0);
                dims[r - 1] = xs.last();
            }
            case CAUSAL -> {
                dims[r - 2] = xs.dim(r - 2);
                dims[r - 1] = xs.last();
            }
            case RANDOM_FULL -> dims = xs.toArray();
        }
        return Shape.of(dims);
    }

    private float[] mask(Shape xs, Shape ms, MaskKind kind) {
        float[] m = new float[ms.intSize()];
        int t = ms.last();
        for (int i = 0; i < m.length; i++) {
            int col = i % t;
            int row = (i / t) % ms.dim(-2);
            m[i] = switch (kind) {
                // the last positions of each sequence are padding; the first never is
                case PADDING -> col > 0 && col >= t - (i / t) % 3 ? Float.NEGATIVE_INFINITY : 0f;
                case CAUSAL -> col > row ? Float.NEGATIVE_INFINITY : 0f;
                case RANDOM_FULL -> random.nextInt(4) == 0 ? Float.NEGATIVE_INFINITY : (float) random.nextDouble(-1, 1);
                case NONE -> 0f;
            };
        }
        return m;
    }

    @Test
    void aFullyMaskedRowGivesZerosNotNaN() {
        Tensor x = tensor(randomFloats(6), 2, 3);
        Tensor mask = tensor(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                0f, Float.NEGATIVE_INFINITY, 0f}, 2, 3);
        float[] y = backend.softmax(x, 1f, mask).toFloatArray();
        assertEquals(0f, y[0]);
        assertEquals(0f, y[1]);
        assertEquals(0f, y[2]);
        assertEquals(1f, y[3] + y[5], 1e-6f);
        assertEquals(0f, y[4]);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        Tensor x = tensor(new float[] {1000f, 1001f, 999f, -1000f}, 1, 4);
        double[] ref = Reference.softmax(new double[] {1000, 1001, 999, -1000}, Shape.of(1, 4), 1, null, null);
        assertClose("softmax of large logits", ref, backend.softmax(x, 1f, null).toFloatArray(), 1e-6, 1e-5);
    }

    static List<Arguments> logSoftmaxShapes() {
        return List.of(Arguments.of((Object) new int[] {1, 1}), Arguments.of((Object) new int[] {7, 33}),
                Arguments.of((Object) new int[] {3, 5, 1000}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logSoftmaxShapes")
    void logSoftmaxMatchesReference(int[] dims) {
        Shape xs = Shape.of(dims);
        float[] x = randomFloats(xs.intSize(), -10, 10);
        assertClose("logSoftmax", Reference.logSoftmax(toDouble(x), xs.last()),
                backend.logSoftmax(backend.fromHost(x, xs)).toFloatArray(), 1e-5, 1e-5);
    }

    @Test
    void aMaskThatDoesNotBroadcastIsRejected() {
        Tensor x = backend.zeros(Shape.of(2, 3, 4));
        Tensor mask = backend.zeros(Shape.of(2, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> backend.softmax(x, 1f, mask));
        Tensor lowerRank = backend.zeros(Shape.of(4));
        assertThrows(IllegalArgumentException.class, () -> backend.softmax(x, 1f, lowerRank));
    }
}
