package org.transformer4j.cli.bench;

import java.util.concurrent.atomic.AtomicLong;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TopK;

/**
 * A backend that forwards every call to another one and adds up the floating-point operations of its matrix
 * products: {@code 2·m·n·k} per product, batched ones once per matrix. That is the work of a step counted
 * where it happens, so it stays exact whatever the model does (tied embeddings, cross-attention over the
 * source length, the gradients backward needs).
 *
 * <p>Written out by hand rather than as a {@link java.lang.reflect.Proxy} (as {@link OpProfiler} is): a
 * proxy boxes the arguments of every call into a new array, and a benchmark that also reports the Java
 * heap allocated per step must not add garbage of its own. Nor does it synchronise: counting needs only the
 * shapes, so the backend keeps its pace. Every method of {@link Backend}, the default ones too, is
 * forwarded, so that a backend's own fused implementations still run (a test checks that none is missed).
 */
public final class FlopCountingBackend implements Backend {

    private final Backend backend;
    // Atomic only for safety: the model calls ops from one thread, and an uncontended add costs nothing.
    private final AtomicLong flops = new AtomicLong();

    public FlopCountingBackend(Backend backend) {
        this.backend = backend;
    }

    /** FLOP of the matrix products since creation or the last {@link #resetFlops}. */
    public long flops() {
        return flops.get();
    }

    public void resetFlops() {
        flops.set(0);
    }

    /** {@code 2·m·n·k} per matrix: {@code a} holds {@code batch·m·k} elements, whatever its transposition. */
    static long matmulFlops(Shape a, Shape b, boolean transB) {
        int r = b.rank();
        long n = transB ? b.dim(r - 2) : b.dim(r - 1);
        return 2 * a.size() * n;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Tensor out = backend.matmul(a, b, transA, transB);
        flops.addAndGet(matmulFlops(a.shape(), b.shape(), transB));
        return out;
    }

    // ---------------------------------------------------------------- everything else, forwarded

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public DeviceInfo device() {
        return backend.device();
    }

    @Override
    public MemoryStats memory() {
        return backend.memory();
    }

    @Override
    public void releaseCachedMemory() {
        backend.releaseCachedMemory();
    }

    @Override
    public void synchronize() {
        backend.synchronize();
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public Tensor zeros(Shape shape) {
        return backend.zeros(shape);
    }

    @Override
    public Tensor fromHost(float[] data, Shape shape) {
        return backend.fromHost(data, shape);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        backend.copyFromHost(src, dst);
    }

    @Override
    public void toHost(Tensor t, float[] dst) {
        backend.toHost(t, dst);
    }

    @Override
    public float[] toHost(Tensor t) {
        return backend.toHost(t);
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return backend.reshape(x, shape);
    }

    @Override
    public Tensor permute(Tensor x, int... axes) {
        return backend.permute(x, axes);
    }

    @Override
    public Tensor copy(Tensor x) {
        return backend.copy(x);
    }

    @Override
    public Tensor concat(Tensor a, Tensor b, int axis) {
        return backend.concat(a, b, axis);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return backend.add(a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return backend.mul(a, b);
    }

    @Override
    public Tensor scale(Tensor x, float alpha) {
        return backend.scale(x, alpha);
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x, float alpha) {
        backend.addInPlace(acc, x, alpha);
    }

    @Override
    public Tensor relu(Tensor x) {
        return backend.relu(x);
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        return backend.reluBackward(dy, y);
    }

    @Override
    public Tensor dropout(Tensor x, float p, long seed) {
        return backend.dropout(x, p, seed);
    }

    @Override
    public Tensor softmax(Tensor x, float scale, Tensor mask) {
        return backend.softmax(x, scale, mask);
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, float scale) {
        return backend.softmaxBackward(y, dy, scale);
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        return backend.logSoftmax(x);
    }

    @Override
    public LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return backend.layerNorm(x, gamma, beta, eps);
    }

    @Override
    public LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        return backend.layerNormBackward(dy, x, gamma, mean, rstd);
    }

    @Override
    public Tensor gather(Tensor table, int[] ids) {
        return backend.gather(table, ids);
    }

    @Override
    public void scatterAddInPlace(Tensor table, int[] ids, Tensor rows) {
        backend.scatterAddInPlace(table, ids, rows);
    }

    @Override
    public CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex) {
        return backend.crossEntropy(logits, targets, smoothing, ignoreIndex);
    }

    @Override
    public CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        return backend.crossEntropyWithGradient(logits, targets, smoothing, ignoreIndex, gradScale);
    }

    @Override
    public CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing,
            int ignoreIndex, float gradScale) {
        return backend.crossEntropyGradientInPlace(logits, targets, smoothing, ignoreIndex, gradScale);
    }

    @Override
    public Tensor sum(Tensor x, int axis) {
        return backend.sum(x, axis);
    }

    @Override
    public Tensor mean(Tensor x, int axis) {
        return backend.mean(x, axis);
    }

    @Override
    public int[] argmax(Tensor x) {
        return backend.argmax(x);
    }

    @Override
    public TopK topK(Tensor x, int k) {
        return backend.topK(x, k);
    }

    @Override
    public double sumOfSquares(Tensor x) {
        return backend.sumOfSquares(x);
    }

    @Override
    public void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        backend.adamStepInPlace(param, grad, m, v, step);
    }
}
