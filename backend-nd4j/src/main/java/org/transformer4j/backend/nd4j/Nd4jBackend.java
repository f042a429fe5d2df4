package org.transformer4j.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.AdamStep;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.TopK;
import org.transformer4j.api.spi.KernelBackend;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.backend.nd4j.ops.CrossEntropy;
import org.transformer4j.backend.nd4j.ops.Elementwise;
import org.transformer4j.backend.nd4j.ops.LayerNorm;
import org.transformer4j.backend.nd4j.ops.Layout;
import org.transformer4j.backend.nd4j.ops.Nd;
import org.transformer4j.backend.nd4j.ops.Optimizer;
import org.transformer4j.backend.nd4j.ops.Products;
import org.transformer4j.backend.nd4j.ops.Scratch;
import org.transformer4j.backend.nd4j.ops.Softmax;

/**
 * The ND4J backend: each tensor is a c-ordered float32 ND4J array (libnd4j native memory, OpenBLAS for the
 * products), closed explicitly when its last view closes, never by the garbage collector. Every op writes
 * into arrays this class allocates (outputs, and per-op {@link Scratch} temporaries), so {@link #memory()}
 * counts everything the backend holds. The ops' shape checks and output allocation are {@link KernelBackend}'s;
 * this class maps each kernel method onto the ND4J calls in {@code ops} and holds no arithmetic of its own.
 *
 * <p>ND4J's thread settings are process-wide: creating an nd4j backend applies its thread count to every
 * nd4j backend of the process.
 */
public final class Nd4jBackend extends KernelBackend<Nd4jTensor> {

    private final DeviceInfo device;
    private final int threads;
    private final MemoryTracker memory = new MemoryTracker();

    Nd4jBackend(DeviceInfo device, int threads) {
        super(Nd4jTensor.class);
        this.device = device;
        this.threads = threads;
    }

    // ---------------------------------------------------------------- identity and memory

    @Override
    public String name() {
        return Nd4jBackendProvider.NAME;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    /** The threads ND4J uses per op (libnd4j's, and OpenBLAS's), as set when this backend was created. */
    public int threads() {
        return threads;
    }

    /** The bytes of live tensors and op temporaries; nothing is cached (ND4J's CPU allocator keeps no pool). */
    @Override
    public MemoryStats memory() {
        return memory.stats(0);
    }

    @Override
    public void close() {
        // Tensors free their own memory; ND4J's threads belong to the process.
    }

    @Override
    protected Nd4jTensor allocate(Shape shape) {
        return wrap(Nd4j.createUninitialized(DataType.FLOAT, shape.size()), shape);
    }

    private Nd4jTensor wrap(INDArray flat, Shape shape) {
        return new Nd4jTensor(this, shape, new Nd4jStorage(flat, memory));
    }

    @Override
    protected Nd4jTensor view(Nd4jTensor x, Shape shape) {
        return new Nd4jTensor(this, shape, x.storage());
    }

    private Scratch scratch() {
        return new Scratch(memory);
    }

    // ---------------------------------------------------------------- creation, host copies, layout

    @Override
    protected Nd4jTensor allocateZeros(Shape shape) {
        return wrap(Nd4j.create(DataType.FLOAT, shape.size()), shape);
    }

    @Override
    protected Nd4jTensor allocateFromHost(float[] data, Shape shape) {
        return wrap(Nd4j.createFromArray(data), shape);
    }

    @Override
    protected void writeHost(float[] src, Nd4jTensor dst) {
        Nd.put(src, 0, src.length, dst.flat(), 0);
    }

    @Override
    protected void readHost(Nd4jTensor src, float[] dst) {
        Nd.get(src.flat(), 0, dst, 0, src.shape().intSize());
    }

    @Override
    protected void permute(Nd4jTensor x, int[] axes, Nd4jTensor out) {
        Layout.permute(x.array(), axes, out.array());
    }

    @Override
    protected void copy(Nd4jTensor x, Nd4jTensor out) {
        out.flat().assign(x.flat());
    }

    @Override
    protected void concat(Nd4jTensor a, Nd4jTensor b, int axis, int outer, int blockA, int blockB, Nd4jTensor out) {
        Layout.concat(a.array(), b.array(), axis, out.array());
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    protected void matmul(Nd4jTensor a, Nd4jTensor b, boolean transA, boolean transB, int batches, int m, int n, int k,
            Nd4jTensor out) {
        Products.matmul(a.array(), b.array(), transA, transB, out.array());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void add(Nd4jTensor a, Nd4jTensor b, Nd4jTensor out) {
        Elementwise.add(a.flat(), b.flat(), b.size(), out.flat());
    }

    @Override
    protected void mul(Nd4jTensor a, Nd4jTensor b, Nd4jTensor out) {
        Elementwise.mul(a.flat(), b.flat(), b.size(), out.flat());
    }

    @Override
    protected void scale(Nd4jTensor x, float alpha, Nd4jTensor out) {
        Nd.scale(x.flat(), alpha, out.flat());
    }

    @Override
    protected void axpy(float alpha, Nd4jTensor x, Nd4jTensor acc) {
        try (Scratch s = scratch()) {
            Elementwise.addInPlace(acc.flat(), x.flat(), x.size(), alpha, s);
        }
    }

    @Override
    protected void relu(Nd4jTensor x, Nd4jTensor out) {
        Elementwise.relu(x.flat(), out.flat());
    }

    @Override
    protected void reluBackward(Nd4jTensor dy, Nd4jTensor y, Nd4jTensor out) {
        Elementwise.reluBackward(dy.flat(), y.flat(), out.flat());
    }

    @Override
    protected void dropout(Nd4jTensor x, float p, long seed, Nd4jTensor out) {
        Elementwise.dropout(x.flat(), p, seed, out.flat());
    }

    // ---------------------------------------------------------------- softmax and layer norm

    @Override
    protected void softmax(Nd4jTensor x, float scale, Nd4jTensor mask, Nd4jTensor out) {
        boolean fullyMasked = mask != null && hasFullyMaskedRow(mask);
        Softmax.forward(x.array(), scale, mask == null ? null : mask.array(), fullyMasked, out.array(),
                x.shape().rows(), x.shape().last());
    }

    /**
     * Whether some row of the mask is {@code -∞} over the whole last axis (then so is a row of the scores:
     * masks are small, [B,1,1,T] or [1,1,T,T], so this is read on the host).
     */
    private boolean hasFullyMaskedRow(Nd4jTensor mask) {
        float[] m = toHost(mask);
        int d = mask.shape().last();
        for (int r = 0; r < m.length; r += d) {
            boolean all = true;
            for (int j = 0; j < d && all; j++) {
                all = m[r + j] == Float.NEGATIVE_INFINITY;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void softmaxBackward(Nd4jTensor y, Nd4jTensor dy, float scale, Nd4jTensor out) {
        try (Scratch s = scratch()) {
            Softmax.backward(y.flat(), dy.flat(), scale, out.flat(), y.shape().rows(), y.shape().last(), s);
        }
    }

    @Override
    protected void logSoftmax(Nd4jTensor x, Nd4jTensor out) {
        try (Scratch s = scratch()) {
            Softmax.logSoftmax(x.flat(), out.flat(), x.shape().rows(), x.shape().last(), s);
        }
    }

    @Override
    protected void layerNorm(Nd4jTensor x, Nd4jTensor gamma, Nd4jTensor beta, float eps, Nd4jTensor y, Nd4jTensor mean,
            Nd4jTensor rstd) {
        LayerNorm.forward(x.rows(), gamma.flat(), beta.flat(), eps, y.rows(), mean.flat(), rstd.flat(), x.shape().last());
    }

    @Override
    protected void layerNormBackward(Nd4jTensor dy, Nd4jTensor x, Nd4jTensor gamma, Nd4jTensor mean, Nd4jTensor rstd,
            Nd4jTensor dx, Nd4jTensor dgamma, Nd4jTensor dbeta) {
        try (Scratch s = scratch()) {
            LayerNorm.backward(dy.rows(), x.rows(), gamma.flat(), mean.flat(), rstd.flat(), dx.rows(), dgamma.flat(),
                    dbeta.flat(), x.shape().rows(), x.shape().last(), s);
        }
    }

    // ---------------------------------------------------------------- embeddings, loss, reductions, optimiser

    @Override
    protected void gather(Nd4jTensor table, int[] ids, Nd4jTensor out) {
        try (Scratch s = scratch()) {
            Layout.gather(table.array(), ids, out.array(), s);
        }
    }

    @Override
    protected void scatterAdd(Nd4jTensor table, int[] ids, Nd4jTensor rows) {
        try (Scratch s = scratch()) {
            Layout.scatterAdd(table.array(), ids, rows.array(), s);
        }
    }

    @Override
    protected void crossEntropy(Nd4jTensor logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
            Nd4jTensor loss, Nd4jTensor nll, Nd4jTensor grad) {
        try (Scratch s = scratch()) {
            CrossEntropy.compute(logits.flat(), targets, smoothing, ignoreIndex, gradScale, loss.flat(), nll.flat(),
                    grad == null ? null : grad.flat(), logits.shape().dim(0), logits.shape().dim(1), s);
        }
    }

    @Override
    protected void reduce(Nd4jTensor x, long outer, int len, long inner, boolean mean, Nd4jTensor out) {
        Layout.reduce(x.flat(), outer, len, inner, mean, out.flat());
    }

    @Override
    protected double sumSquares(Nd4jTensor x) {
        try (Scratch s = scratch()) {
            return Optimizer.sumOfSquares(x.flat(), s);
        }
    }

    @Override
    protected int[] argmax(Nd4jTensor x, int rows, int d) {
        try (Scratch s = scratch()) {
            return Layout.argmax(x.rows(), rows, s);
        }
    }

    @Override
    protected void adam(Nd4jTensor p, Nd4jTensor g, Nd4jTensor m, Nd4jTensor v, AdamStep step) {
        try (Scratch s = scratch()) {
            Optimizer.adam(p.flat(), g.flat(), m.flat(), v.flat(), step.learningRate(), step.beta1(), step.beta2(),
                    step.epsilon(), step.firstMomentCorrection(), step.secondMomentCorrection(), step.gradScale(), s);
        }
    }

    /** On the host: libnd4j has no top-k that orders ties by index, and the rows of decoding are small. */
    @Override
    protected void topK(Nd4jTensor x, int rows, int d, int k, float[] values, int[] indices) {
        float[] host = toHost(x);
        for (int r = 0; r < rows; r++) {
            TopK.selectRow(host, r * d, d, k, values, indices, r * k);
        }
    }
}
