package org.transformer4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.AdamStep;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.DType;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * The skeleton's own arithmetic: the sizes it derives for the kernels (every backend relies on them), the
 * ownership check, and the special cases it handles before any kernel runs. The ops themselves are checked on
 * every real backend by the conformance suite.
 */
class KernelBackendTest {

    @Test
    void aBatchedProductReachesTheKernelAsBatchesOfMByKTimesKByN() {
        try (TensorScope scope = TensorScope.open(); Recording backend = new Recording()) {
            Tensor out = backend.matmul(backend.zeros(Shape.of(2, 3, 4, 5)), backend.zeros(Shape.of(2, 3, 6, 5)), false, true);
            assertEquals(Shape.of(2, 3, 4, 6), out.shape());
            assertEquals(List.of("matmul batches=6 m=4 n=6 k=5 transA=false transB=true"), backend.calls);

            backend.calls.clear();
            out = backend.matmul(backend.zeros(Shape.of(7, 4)), backend.zeros(Shape.of(7, 3)), true, false);
            assertEquals(Shape.of(4, 3), out.shape());
            assertEquals(List.of("matmul batches=1 m=4 n=3 k=7 transA=true transB=false"), backend.calls);
        }
    }

    @Test
    void concatAndReductionsSeeTheirAxesAsOuterBlocksAndInner() {
        try (TensorScope scope = TensorScope.open(); Recording backend = new Recording()) {
            Tensor joined = backend.concat(backend.zeros(Shape.of(2, 3, 4)), backend.zeros(Shape.of(2, 5, 4)), -2);
            assertEquals(Shape.of(2, 8, 4), joined.shape());
            Tensor summed = backend.mean(backend.zeros(Shape.of(2, 3, 4)), 1);
            assertEquals(Shape.of(2, 4), summed.shape());
            assertEquals(List.of("concat axis=1 outer=2 blockA=12 blockB=20", "reduce outer=2 len=3 inner=4 mean=true"),
                    backend.calls);
        }
    }

    @Test
    void noDropoutIsACopyAndTheInPlaceLossGradientIsTheLogitsThemselves() {
        try (TensorScope scope = TensorScope.open(); Recording backend = new Recording()) {
            Tensor x = backend.zeros(Shape.of(2, 3));
            backend.dropout(x, 0f, 1);
            CrossEntropyOutput out = backend.crossEntropyGradientInPlace(x, new int[] {0, 1}, 0.1f, -1, 1f);
            assertSame(x, out.grad());
            assertEquals(List.of("copy", "crossEntropy grad=logits"), backend.calls);
        }
    }

    @Test
    void aTensorOfAnotherBackendIsRefusedByName() {
        try (TensorScope scope = TensorScope.open(); Recording a = new Recording(); Recording b = new Recording()) {
            Tensor foreign = b.zeros(Shape.of(2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.relu(foreign));
            assertTrue(e.getMessage().contains("does not belong to this recording backend"), e.getMessage());
            assertEquals(List.of(), a.calls);
        }
    }

    @Test
    void shapesAreCheckedBeforeAnyKernelRuns() {
        try (TensorScope scope = TensorScope.open(); Recording backend = new Recording()) {
            Tensor a = backend.zeros(Shape.of(2, 3));
            Tensor b = backend.zeros(Shape.of(4, 3));
            assertThrows(IllegalArgumentException.class, () -> backend.matmul(a, b, false, false));
            assertThrows(IllegalArgumentException.class, () -> backend.add(a, b));
            assertEquals(List.of(), backend.calls);
        }
    }

    /** Tensors without memory; every kernel records its call. */
    static final class Recording extends KernelBackend<Recording.Rt> {

        final List<String> calls = new ArrayList<>();
        private final MemoryTracker memory = new MemoryTracker();

        Recording() {
            super(Rt.class);
        }

        static final class Rt extends AbstractTensor<Storage> {
            Rt(Recording backend, Shape shape, Storage storage) {
                super(backend, shape, DType.FLOAT32, storage);
            }
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public DeviceInfo device() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MemoryStats memory() {
            return memory.stats(0);
        }

        @Override
        public void close() {
        }

        @Override
        protected Rt allocate(Shape shape) {
            return new Rt(this, shape, new Storage(4 * shape.size()) {
                @Override
                protected void free() {
                }
            });
        }

        @Override
        protected Rt view(Rt x, Shape shape) {
            return new Rt(this, shape, x.storage());
        }

        @Override
        protected Rt allocateZeros(Shape shape) {
            return allocate(shape);
        }

        @Override
        protected Rt allocateFromHost(float[] data, Shape shape) {
            return allocate(shape);
        }

        private void call(String what) {
            calls.add(what);
        }

        @Override
        protected void writeHost(float[] src, Rt dst) {
            call("writeHost");
        }

        @Override
        protected void readHost(Rt src, float[] dst) {
            call("readHost");
        }

        @Override
        protected void permute(Rt x, int[] axes, Rt out) {
            call("permute");
        }

        @Override
        protected void copy(Rt x, Rt out) {
            call("copy");
        }

        @Override
        protected void concat(Rt a, Rt b, int axis, int outer, int blockA, int blockB, Rt out) {
            call("concat axis=" + axis + " outer=" + outer + " blockA=" + blockA + " blockB=" + blockB);
        }

        @Override
        protected void matmul(Rt a, Rt b, boolean transA, boolean transB, int batches, int m, int n, int k, Rt out) {
            call("matmul batches=" + batches + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB="
                    + transB);
        }

        @Override
        protected void add(Rt a, Rt b, Rt out) {
            call("add");
        }

        @Override
        protected void mul(Rt a, Rt b, Rt out) {
            call("mul");
        }

        @Override
        protected void scale(Rt x, float alpha, Rt out) {
            call("scale");
        }

        @Override
        protected void axpy(float alpha, Rt x, Rt acc) {
            call("axpy");
        }

        @Override
        protected void relu(Rt x, Rt out) {
            call("relu");
        }

        @Override
        protected void reluBackward(Rt dy, Rt y, Rt out) {
            call("reluBackward");
        }

        @Override
        protected void dropout(Rt x, float p, long seed, Rt out) {
            call("dropout");
        }

        @Override
        protected void softmax(Rt x, float scale, Rt mask, Rt out) {
            call("softmax");
        }

        @Override
        protected void softmaxBackward(Rt y, Rt dy, float scale, Rt out) {
            call("softmaxBackward");
        }

        @Override
        protected void logSoftmax(Rt x, Rt out) {
            call("logSoftmax");
        }

        @Override
        protected void layerNorm(Rt x, Rt gamma, Rt beta, float eps, Rt y, Rt mean, Rt rstd) {
            call("layerNorm");
        }

        @Override
        protected void layerNormBackward(Rt dy, Rt x, Rt gamma, Rt mean, Rt rstd, Rt dx, Rt dgamma, Rt dbeta) {
            call("layerNormBackward");
        }

        @Override
        protected void gather(Rt table, int[] ids, Rt out) {
            call("gather");
        }

        @Override
        protected void scatterAdd(Rt table, int[] ids, Rt rows) {
            call("scatterAdd");
        }

        @Override
        protected void crossEntropy(Rt logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
                Rt loss, Rt nll, Rt grad) {
            call("crossEntropy grad=" + (grad == null ? "none" : grad == logits ? "logits" : "new"));
        }

        @Override
        protected void reduce(Rt x, long outer, int len, long inner, boolean mean, Rt out) {
            call("reduce outer=" + outer + " len=" + len + " inner=" + inner + " mean=" + mean);
        }

        @Override
        protected double sumSquares(Rt x) {
            call("sumSquares");
            return 0;
        }

        @Override
        protected int[] argmax(Rt x, int rows, int d) {
            call("argmax rows=" + rows + " d=" + d);
            return new int[rows];
        }

        @Override
        protected void adam(Rt param, Rt grad, Rt m, Rt v, AdamStep step) {
            call("adam");
        }

        @Override
        protected void topK(Rt x, int rows, int d, int k, float[] values, int[] indices) {
            call("topK rows=" + rows + " d=" + d + " k=" + k);
        }
    }
}
