package org.transformer4j.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * Backend memory is released deterministically: by closing a tensor, or by closing the scope that owns it,
 * and the memory a backend reports returns to its baseline afterwards.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class MemoryConformanceTest extends ConformanceTest {

    MemoryConformanceTest(String backend) {
        super(backend);
    }

    @Test
    void everyOpsOutputsAreReleasedWhenTheirScopeCloses() {
        long baseline = backend.memory().inUse();
        for (int step = 0; step < 3; step++) {
            try (TensorScope scope = TensorScope.open()) {
                runEveryOp(backend);
                assertTrue(backend.memory().inUse() > baseline, "the ops allocated");
            }
            assertEquals(baseline, backend.memory().inUse(), "after step " + step);
        }
        assertTrue(backend.memory().peak() > baseline);
    }

    /** One call of every op that allocates, as a training step would. */
    private void runEveryOp(Backend b) {
        Tensor x = b.fromHost(randomFloats(6 * 8), Shape.of(2, 3, 8));
        Tensor w = b.fromHost(randomFloats(8 * 8), Shape.of(8, 8));
        Tensor x2 = b.reshape(x, Shape.of(6, 8));
        Tensor h = b.matmul(x2, w, false, true);
        Tensor relu = b.relu(b.add(h, b.zeros(Shape.of(8))));
        b.reluBackward(relu, relu);
        Tensor scores = b.matmul(b.reshape(x, Shape.of(2, 3, 8)), b.reshape(x, Shape.of(2, 3, 8)), false, true);
        Tensor p = b.softmax(scores, 0.5f, b.zeros(Shape.of(2, 1, 3)));
        b.softmaxBackward(p, p, 0.5f);
        b.logSoftmax(h);
        LayerNormOutput ln = b.layerNorm(x2, b.zeros(Shape.of(8)), b.zeros(Shape.of(8)), 1e-5f);
        LayerNormGradients lg = b.layerNormBackward(ln.y(), x2, b.zeros(Shape.of(8)), ln.mean(), ln.rstd());
        b.addInPlace(lg.dx(), x2, 1f);
        Tensor emb = b.gather(w, new int[] {1, 2, 1});
        b.scatterAddInPlace(b.zeros(Shape.of(8, 8)), new int[] {1, 2, 1}, emb);
        CrossEntropyOutput ce = b.crossEntropyWithGradient(h, new int[] {1, 2, 3, 4, 5, 0}, 0.1f, 0, 0.5f);
        b.sum(ce.loss(), 0);
        b.mean(x, 1);
        b.permute(x, 0, 2, 1);
        b.copy(x);
        b.scale(x, 2f);
        b.mul(x, b.zeros(Shape.of(3, 8)));
        b.dropout(x, 0.1f, 7);
        b.argmax(h);
    }

    @Test
    void closingATensorReleasesItsMemoryOnce() {
        long baseline = backend.memory().inUse();
        Tensor t = backend.zeros(Shape.of(1000));
        assertEquals(baseline + 4000, backend.memory().inUse());
        t.close();
        t.close();
        assertEquals(baseline, backend.memory().inUse());
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }

    @Test
    void storageSharedByAReshapeLivesUntilTheLastViewCloses() {
        long baseline = backend.memory().inUse();
        try (TensorScope scope = TensorScope.open()) {
            Tensor t = backend.zeros(Shape.of(4, 4));
            Tensor view = backend.reshape(t, Shape.of(16));
            t.close();
            assertFalse(view.isClosed());
            assertEquals(baseline + 64, backend.memory().inUse(), "the view keeps the storage");
            assertEquals(16, view.toFloatArray().length);
            view.close();
            assertEquals(baseline, backend.memory().inUse());
        }
    }

    @Test
    void aTensorKeptOutOfAScopeSurvivesIt() {
        long baseline = backend.memory().inUse();
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                backend.zeros(Shape.of(10));
                kept = inner.keep(backend.zeros(Shape.of(5)));
            }
            assertEquals(baseline + 20, backend.memory().inUse());
            assertFalse(kept.isClosed());
        }
        assertTrue(kept.isClosed(), "the outer scope took ownership");
        assertEquals(baseline, backend.memory().inUse());
    }

    @Test
    void tensorsOfAnotherBackendAreRejected() {
        try (Backend other = BackendsUnderTest.open(backendName)) {
            Tensor foreign = other.zeros(Shape.of(2, 2));
            Tensor mine = backend.zeros(Shape.of(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.add(mine, foreign));
            assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
            foreign.close();
        }
    }
}
