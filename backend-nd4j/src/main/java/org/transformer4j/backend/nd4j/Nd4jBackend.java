package org.transformer4j.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.OpShapes;
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
 * counts everything the backend holds. Like the cpu backend, this class validates shapes with
 * {@link OpShapes}, allocates and calls a kernel in {@code ops}; it holds no arithmetic of its own.
 *
 * <p>ND4J's thread settings are process-wide: creating an nd4j backend applies its thread count to every
 * nd4j backend of the process.
 */
public final class Nd4jBackend implements Backend {

    private final DeviceInfo device;
    private final int threads;
    private final MemoryTracker memory = new MemoryTracker();

    Nd4jBackend(DeviceInfo device, int threads) {
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

    private Nd4jTensor allocate(Shape shape) {
        return wrap(Nd4j.createUninitialized(DataType.FLOAT, shape.size()), shape);
    }

    private Nd4jTensor wrap(INDArray flat, Shape shape) {
        return new Nd4jTensor(this, shape, new Nd4jStorage(flat, memory));
    }

    private Scratch scratch() {
        return new Scratch(memory);
    }

    private Nd4jTensor nd(Tensor t) {
        if (t instanceof Nd4jTensor n && n.backend() == this) {
            return n;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to this nd4j backend; copy it through the host first");
    }

    // ---------------------------------------------------------------- creation and host copies

    @Override
    public Tensor zeros(Shape shape) {
        return wrap(Nd4j.create(DataType.FLOAT, shape.size()), shape);
    }

    @Override
    public Tensor fromHost(float[] data, Shape shape) {
        OpShapes.hostLength("fromHost", data.length, shape);
        return wrap(Nd4j.createFromArray(data), shape);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        Nd4jTensor d = nd(dst);
        OpShapes.hostLength("copyFromHost", src.length, d.shape());
        Nd.put(src, 0, src.length, d.flat(), 0);
    }

    @Override
    public void toHost(Tensor t, float[] dst) {
        Nd4jTensor n = nd(t);
        OpShapes.hostCapacity("toHost", dst.length, n.shape());
        Nd.get(n.flat(), 0, dst, 0, n.shape().intSize());
    }

    // ---------------------------------------------------------------- views and copies

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Nd4jTensor n = nd(x);
        OpShapes.reshape(n.shape(), shape);
        return new Nd4jTensor(this, shape, n.storage());
    }

    @Override
    public Tensor permute(Tensor x, int... axes) {
        Nd4jTensor n = nd(x);
        Nd4jTensor out = allocate(OpShapes.permute(n.shape(), axes));
        Layout.permute(n.array(), axes, out.array());
        return out;
    }

    @Override
    public Tensor copy(Tensor x) {
        Nd4jTensor n = nd(x);
        Nd4jTensor out = allocate(n.shape());
        out.flat().assign(n.flat());
        return out;
    }

    @Override
    public Tensor concat(Tensor a, Tensor b, int axis) {
        Nd4jTensor na = nd(a);
        Nd4jTensor nb = nd(b);
        Shape outShape = OpShapes.concat(na.shape(), nb.shape(), axis);
        Nd4jTensor out = allocate(outShape);
        Layout.concat(na.array(), nb.array(), outShape.axis(axis), out.array());
        return out;
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Nd4jTensor na = nd(a);
        Nd4jTensor nb = nd(b);
        Nd4jTensor out = allocate(OpShapes.matmul(na.shape(), nb.shape(), transA, transB));
        Products.matmul(na.array(), nb.array(), transA, transB, out.array());
        return out;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public Tensor add(Tensor a, Tensor b) {
        Nd4jTensor na = nd(a);
        Nd4jTensor nb = nd(b);
        Nd4jTensor out = allocate(OpShapes.broadcastSuffix("add", na.shape(), nb.shape()));
        Elementwise.add(na.flat(), nb.flat(), nb.size(), out.flat());
        return out;
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        Nd4jTensor na = nd(a);
        Nd4jTensor nb = nd(b);
        Nd4jTensor out = allocate(OpShapes.broadcastSuffix("mul", na.shape(), nb.shape()));
        Elementwise.mul(na.flat(), nb.flat(), nb.size(), out.flat());
        return out;
    }

    @Override
    public Tensor scale(Tensor x, float alpha) {
        Nd4jTensor n = nd(x);
        Nd4jTensor out = allocate(n.shape());
        Nd.scale(n.flat(), alpha, out.flat());
        return out;
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x, float alpha) {
        Nd4jTensor na = nd(acc);
        Nd4jTensor nx = nd(x);
        OpShapes.broadcastSuffix("addInPlace", na.shape(), nx.shape());
        try (Scratch s = scratch()) {
            Elementwise.addInPlace(na.flat(), nx.flat(), nx.size(), alpha, s);
        }
    }

    @Override
    public Tensor relu(Tensor x) {
        Nd4jTensor n = nd(x);
        Nd4jTensor out = allocate(n.shape());
        Elementwise.relu(n.flat(), out.flat());
        return out;
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        Nd4jTensor ndy = nd(dy);
        Nd4jTensor ny = nd(y);
        Nd4jTensor out = allocate(OpShapes.same("reluBackward", ndy.shape(), ny.shape()));
        Elementwise.reluBackward(ndy.flat(), ny.flat(), out.flat());
        return out;
    }

    @Override
    public Tensor dropout(Tensor x, float p, long seed) {
        OpShapes.dropout(p);
        if (p == 0f) {
            return copy(x);
        }
        Nd4jTensor n = nd(x);
        Nd4jTensor out = allocate(n.shape());
        Elementwise.dropout(n.flat(), p, seed, out.flat());
        return out;
    }

    // ---------------------------------------------------------------- softmax and layer norm

    @Override
    public Tensor softmax(Tensor x, float scale, Tensor mask) {
        Nd4jTensor n = nd(x);
        OpShapes.rank("softmax", n.shape(), 1);
        INDArray m = null;
        boolean fullyMasked = false;
        if (mask != null) {
            Nd4jTensor nm = nd(mask);
            OpShapes.softmaxMask(n.shape(), nm.shape());
            m = nm.array();
            fullyMasked = hasFullyMaskedRow(nm);
        }
        Nd4jTensor out = allocate(n.shape());
        Softmax.forward(n.array(), scale, m, fullyMasked, out.array(), n.shape().rows(), n.shape().last());
        return out;
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
    public Tensor softmaxBackward(Tensor y, Tensor dy, float scale) {
        Nd4jTensor ny = nd(y);
        Nd4jTensor ndy = nd(dy);
        OpShapes.same("softmaxBackward", ny.shape(), ndy.shape());
        Nd4jTensor out = allocate(ny.shape());
        try (Scratch s = scratch()) {
            Softmax.backward(ny.flat(), ndy.flat(), scale, out.flat(), ny.shape().rows(), ny.shape().last(), s);
        }
        return out;
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        Nd4jTensor n = nd(x);
        OpShapes.rank("logSoftmax", n.shape(), 1);
        Nd4jTensor out = allocate(n.shape());
        try (Scratch s = scratch()) {
            Softmax.logSoftmax(n.flat(), out.flat(), n.shape().rows(), n.shape().last(), s);
        }
        return out;
    }

    @Override
    public LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        Nd4jTensor nx = nd(x);
        Nd4jTensor ng = nd(gamma);
        Nd4jTensor nb = nd(beta);
        OpShapes.layerNorm(nx.shape(), ng.shape(), nb.shape());
        Shape rowShape = nx.shape().drop(-1);
        Nd4jTensor y = allocate(nx.shape());
        Nd4jTensor mean = allocate(rowShape);
        Nd4jTensor rstd = allocate(rowShape);
        LayerNorm.forward(nx.rows(), ng.flat(), nb.flat(), eps, y.rows(), mean.flat(), rstd.flat(), nx.shape().last());
        return new LayerNormOutput(y, mean, rstd);
    }

    @Override
    public LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        Nd4jTensor ndy = nd(dy);
        Nd4jTensor nx = nd(x);
        Nd4jTensor ng = nd(gamma);
        Nd4jTensor nm = nd(mean);
        Nd4jTensor nr = nd(rstd);
        OpShapes.layerNormBackward(ndy.shape(), nx.shape(), ng.shape(), nm.shape(), nr.shape());
        Nd4jTensor dx = allocate(nx.shape());
        Nd4jTensor dgamma = allocate(ng.shape());
        Nd4jTensor dbeta = allocate(ng.shape());
        try (Scratch s = scratch()) {
            LayerNorm.backward(ndy.rows(), nx.rows(), ng.flat(), nm.flat(), nr.flat(), dx.rows(), dgamma.flat(),
                    dbeta.flat(), nx.shape().rows(), nx.shape().last(), s);
        }
        return new LayerNormGradients(dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public Tensor gather(Tensor table, int[] ids) {
        Nd4jTensor nt = nd(table);
        Nd4jTensor out = allocate(OpShapes.gather(nt.shape(), ids));
        try (Scratch s = scratch()) {
            Layout.gather(nt.array(), ids, out.array(), s);
        }
        return out;
    }

    @Override
    public void scatterAddInPlace(Tensor table, int[] ids, Tensor rows) {
        Nd4jTensor nt = nd(table);
        Nd4jTensor nr = nd(rows);
        OpShapes.scatterAdd(nt.shape(), ids, nr.shape());
        try (Scratch s = scratch()) {
            Layout.scatterAdd(nt.array(), ids, nr.array(), s);
        }
    }

    // ---------------------------------------------------------------- loss

    @Override
    public CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, 0f, false, false);
    }

    @Override
    public CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true, false);
    }

    @Override
    public CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true, true);
    }

    private CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale, boolean withGradient, boolean inPlace) {
        Nd4jTensor nl = nd(logits);
        Shape rowShape = OpShapes.crossEntropy(nl.shape(), targets, smoothing, ignoreIndex);
        Nd4jTensor loss = allocate(rowShape);
        Nd4jTensor nll = allocate(rowShape);
        Nd4jTensor grad = !withGradient ? null : inPlace ? nl : allocate(nl.shape());
        try (Scratch s = scratch()) {
            CrossEntropy.compute(nl.flat(), targets, smoothing, ignoreIndex, gradScale, loss.flat(), nll.flat(),
                    grad == null ? null : grad.flat(), nl.shape().dim(0), nl.shape().dim(1), s);
        }
        return new CrossEntropyOutput(loss, nll, grad);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public Tensor sum(Tensor x, int axis) {
        return reduce(x, axis, false);
    }

    @Override
    public Tensor mean(Tensor x, int axis) {
        return reduce(x, axis, true);
    }

    private Tensor reduce(Tensor x, int axis, boolean mean) {
        Nd4jTensor n = nd(x);
        Shape s = n.shape();
        int a = s.axis(axis);
        Nd4jTensor out = allocate(s.drop(a));
        Layout.reduce(n.flat(), s.product(0, a), s.dim(a), s.product(a + 1, s.rank()), mean, out.flat());
        return out;
    }

    @Override
    public int[] argmax(Tensor x) {
        Nd4jTensor n = nd(x);
        try (Scratch s = scratch()) {
            return Layout.argmax(n.rows(), n.shape().rows(), s);
        }
    }

    @Override
    public double sumOfSquares(Tensor x) {
        Nd4jTensor n = nd(x);
        try (Scratch s = scratch()) {
            return Optimizer.sumOfSquares(n.flat(), s);
        }
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        Nd4jTensor p = nd(param);
        Nd4jTensor g = nd(grad);
        Nd4jTensor nm = nd(m);
        Nd4jTensor nv = nd(v);
        OpShapes.same("adamStepInPlace (grad)", p.shape(), g.shape());
        OpShapes.same("adamStepInPlace (m)", p.shape(), nm.shape());
        OpShapes.same("adamStepInPlace (v)", p.shape(), nv.shape());
        try (Scratch s = scratch()) {
            Optimizer.adam(p.flat(), g.flat(), nm.flat(), nv.flat(), step.learningRate(), step.beta1(), step.beta2(),
                    step.epsilon(), step.firstMomentCorrection(), step.secondMomentCorrection(), step.gradScale(), s);
        }
    }
}
