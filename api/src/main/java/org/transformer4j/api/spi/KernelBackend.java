package org.transformer4j.api.spi;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TopK;

/**
 * The op skeleton every backend shares, so that a backend is its memory and its kernels and nothing else.
 *
 * <p>Each {@link Backend} op is written here once: it checks that the tensors belong to this backend, validates
 * the shapes with {@link OpShapes} (the same message on every backend), allocates the outputs through
 * {@link #allocate}, derives the sizes a kernel needs (rows and row length, the three axes of a reduction, the
 * dimensions of a batched product) and calls one kernel method. A backend implements {@link #allocate}, the
 * host copies, {@link #view} and the kernel methods, which receive their own tensor type {@code T}, shapes already
 * checked, and outputs already allocated (never aliasing an input unless the method says so). Like tinygrad's
 * list of low-level ops, the abstract methods below are the whole contract of a compute backend.
 *
 * <p>Identity ({@link #name()}, {@link #device()}), memory accounting ({@link #memory()}) and {@link #close()}
 * stay with the backend.
 *
 * @param <T> the backend's tensor class
 */
public abstract class KernelBackend<T extends AbstractTensor<?>> implements Backend {

    private final Class<T> tensorType;

    protected KernelBackend(Class<T> tensorType) {
        this.tensorType = tensorType;
    }

    // ================================================================ what a backend implements

    /** A new tensor of {@code shape} whose contents are undefined. */
    protected abstract T allocate(Shape shape);

    /** A tensor of {@code shape} sharing {@code x}'s storage (the size is checked). */
    protected abstract T view(T x, Shape shape);

    /** A new tensor of {@code shape} filled with zeros. */
    protected abstract T allocateZeros(Shape shape);

    /** A new tensor of {@code shape} holding {@code data} (its length is checked). */
    protected abstract T allocateFromHost(float[] data, Shape shape);

    /** Copies all of {@code src} (its length is {@code dst}'s size) into {@code dst}. */
    protected abstract void writeHost(float[] src, T dst);

    /** Copies all of {@code src} into the first {@code src.shape().size()} elements of {@code dst}. */
    protected abstract void readHost(T src, float[] dst);

    /** {@code out} = {@code x} with its axes reordered; {@code out} has the permuted shape. */
    protected abstract void permute(T x, int[] axes, T out);

    /** {@code out} = a copy of {@code x}. */
    protected abstract void copy(T x, T out);

    /**
     * {@code out} = a and b joined along {@code axis} (non-negative): seen as {@code [outer, blockA]} and
     * {@code [outer, blockB]}, each row of out is a row of a followed by a row of b.
     */
    protected abstract void concat(T a, T b, int axis, int outer, int blockA, int blockB, T out);

    /**
     * {@code out[i] = op(a[i]) · op(b[i])} for each of {@code batches} products of m×k by k×n, operands stored
     * as in {@link Backend#matmul} and packed one after the other.
     */
    protected abstract void matmul(T a, T b, boolean transA, boolean transB, int batches, int m, int n, int k, T out);

    /** {@code out = a + b}, b repeated over a's leading axes. */
    protected abstract void add(T a, T b, T out);

    /** {@code out = a · b}, b repeated over a's leading axes. */
    protected abstract void mul(T a, T b, T out);

    /** {@code out = alpha · x}. */
    protected abstract void scale(T x, float alpha, T out);

    /** {@code acc += alpha · x}, x repeated over acc's leading axes. */
    protected abstract void axpy(float alpha, T x, T acc);

    /** {@code out = max(x, 0)}. */
    protected abstract void relu(T x, T out);

    /** {@code out = dy} where {@code y > 0}, else 0. */
    protected abstract void reluBackward(T dy, T y, T out);

    /** Inverted dropout with the shared mask ({@link DropoutMask}); {@code 0 < p < 1}. */
    protected abstract void dropout(T x, float p, long seed, T out);

    /** Softmax over the last axis of {@code scale · x + mask}; {@code mask} is null or broadcasts to x. */
    protected abstract void softmax(T x, float scale, T mask, T out);

    /** The gradient of {@link #softmax} with respect to x, from its output y and the output's gradient dy. */
    protected abstract void softmaxBackward(T y, T dy, float scale, T out);

    /** Log-softmax over the last axis. */
    protected abstract void logSoftmax(T x, T out);

    /** Layer norm over the last axis, with the per-row mean and reciprocal standard deviation backward needs. */
    protected abstract void layerNorm(T x, T gamma, T beta, float eps, T y, T mean, T rstd);

    /** The gradients of {@link #layerNorm}. */
    protected abstract void layerNormBackward(T dy, T x, T gamma, T mean, T rstd, T dx, T dgamma, T dbeta);

    /** {@code out[i] = table[ids[i]]}. */
    protected abstract void gather(T table, int[] ids, T out);

    /** {@code table[ids[i]] += rows[i]}, repeated ids summed in the order of {@code ids}. */
    protected abstract void scatterAdd(T table, int[] ids, T rows);

    /**
     * Cross-entropy with label smoothing over rows of logits: per-row loss and negative log-likelihood, and when
     * {@code grad} is not null {@code gradScale ·} the gradient, written to {@code grad} (which may be the logits
     * themselves).
     */
    protected abstract void crossEntropy(T logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
            T loss, T nll, T grad);

    /** {@code out[o, i] = Σ_l x[o, l, i]} (divided by {@code len} when {@code mean}), x seen as [outer, len, inner]. */
    protected abstract void reduce(T x, long outer, int len, long inner, boolean mean, T out);

    /** Σ x², in double precision. */
    protected abstract double sumSquares(T x);

    /** The index of the largest element of each of {@code rows} rows of {@code d} (the first one on ties). */
    protected abstract int[] argmax(T x, int rows, int d);

    /** One Adam update of {@code param} in place, with the moments m and v; all four tensors have one shape. */
    protected abstract void adam(T param, T grad, T m, T v, AdamStep step);

    /** Each row's top k, written to {@code values} and {@code indices} at {@code row·k} as {@link TopK#of} orders them. */
    protected abstract void topK(T x, int rows, int d, int k, float[] values, int[] indices);

    // ================================================================ the ops, written once

    /** {@code t} as this backend's tensor type, or a clear error for a tensor of another backend. */
    protected final T own(Tensor t) {
        if (tensorType.isInstance(t) && t.backend() == this) {
            return tensorType.cast(t);
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to this " + name()
                + " backend; copy it through the host first");
    }

    @Override
    public final Tensor zeros(Shape shape) {
        return allocateZeros(shape);
    }

    @Override
    public final Tensor fromHost(float[] data, Shape shape) {
        OpShapes.hostLength("fromHost", data.length, shape);
        return allocateFromHost(data, shape);
    }

    @Override
    public final void copyFromHost(float[] src, Tensor dst) {
        T d = own(dst);
        OpShapes.hostLength("copyFromHost", src.length, d.shape());
        writeHost(src, d);
    }

    @Override
    public final void toHost(Tensor t, float[] dst) {
        T x = own(t);
        OpShapes.hostCapacity("toHost", dst.length, x.shape());
        readHost(x, dst);
    }

    @Override
    public final Tensor reshape(Tensor x, Shape shape) {
        T t = own(x);
        OpShapes.reshape(t.shape(), shape);
        return view(t, shape);
    }

    @Override
    public final Tensor permute(Tensor x, int... axes) {
        T t = own(x);
        T out = allocate(OpShapes.permute(t.shape(), axes));
        permute(t, axes, out);
        return out;
    }

    @Override
    public final Tensor copy(Tensor x) {
        T t = own(x);
        T out = allocate(t.shape());
        copy(t, out);
        return out;
    }

    @Override
    public final Tensor concat(Tensor a, Tensor b, int axis) {
        T ta = own(a);
        T tb = own(b);
        Shape outShape = OpShapes.concat(ta.shape(), tb.shape(), axis);
        int ax = outShape.axis(axis);
        long inner = outShape.product(ax + 1, outShape.rank());
        int blockA = Math.toIntExact(ta.shape().dim(ax) * inner);
        int blockB = Math.toIntExact(tb.shape().dim(ax) * inner);
        int outer = Math.toIntExact(outShape.product(0, ax));
        T out = allocate(outShape);
        concat(ta, tb, ax, outer, blockA, blockB, out);
        return out;
    }

    @Override
    public final Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        T ta = own(a);
        T tb = own(b);
        Shape outShape = OpShapes.matmul(ta.shape(), tb.shape(), transA, transB);
        int r = outShape.rank();
        int m = outShape.dim(r - 2);
        int n = outShape.dim(r - 1);
        int k = transA ? ta.shape().dim(r - 2) : ta.shape().dim(r - 1);
        int batches = Math.toIntExact(outShape.product(0, r - 2));
        T out = allocate(outShape);
        matmul(ta, tb, transA, transB, batches, m, n, k, out);
        return out;
    }

    @Override
    public final Tensor add(Tensor a, Tensor b) {
        T ta = own(a);
        T tb = own(b);
        T out = allocate(OpShapes.broadcastSuffix("add", ta.shape(), tb.shape()));
        add(ta, tb, out);
        return out;
    }

    @Override
    public final Tensor mul(Tensor a, Tensor b) {
        T ta = own(a);
        T tb = own(b);
        T out = allocate(OpShapes.broadcastSuffix("mul", ta.shape(), tb.shape()));
        mul(ta, tb, out);
        return out;
    }

    @Override
    public final Tensor scale(Tensor x, float alpha) {
        T t = own(x);
        T out = allocate(t.shape());
        scale(t, alpha, out);
        return out;
    }

    @Override
    public final void addInPlace(Tensor acc, Tensor x, float alpha) {
        T ta = own(acc);
        T tx = own(x);
        OpShapes.broadcastSuffix("addInPlace", ta.shape(), tx.shape());
        axpy(alpha, tx, ta);
    }

    @Override
    public final Tensor relu(Tensor x) {
        T t = own(x);
        T out = allocate(t.shape());
        relu(t, out);
        return out;
    }

    @Override
    public final Tensor reluBackward(Tensor dy, Tensor y) {
        T tdy = own(dy);
        T ty = own(y);
        T out = allocate(OpShapes.same("reluBackward", tdy.shape(), ty.shape()));
        reluBackward(tdy, ty, out);
        return out;
    }

    @Override
    public final Tensor dropout(Tensor x, float p, long seed) {
        OpShapes.dropout(p);
        if (p == 0f) {
            return copy(x);
        }
        T t = own(x);
        T out = allocate(t.shape());
        dropout(t, p, seed, out);
        return out;
    }

    @Override
    public final Tensor softmax(Tensor x, float scale, Tensor mask) {
        T t = own(x);
        OpShapes.rank("softmax", t.shape(), 1);
        T m = null;
        if (mask != null) {
            m = own(mask);
            OpShapes.softmaxMask(t.shape(), m.shape());
        }
        T out = allocate(t.shape());
        softmax(t, scale, m, out);
        return out;
    }

    @Override
    public final Tensor softmaxBackward(Tensor y, Tensor dy, float scale) {
        T ty = own(y);
        T tdy = own(dy);
        OpShapes.same("softmaxBackward", ty.shape(), tdy.shape());
        T out = allocate(ty.shape());
        softmaxBackward(ty, tdy, scale, out);
        return out;
    }

    @Override
    public final Tensor logSoftmax(Tensor x) {
        T t = own(x);
        OpShapes.rank("logSoftmax", t.shape(), 1);
        T out = allocate(t.shape());
        logSoftmax(t, out);
        return out;
    }

    @Override
    public final LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        T tx = own(x);
        T tg = own(gamma);
        T tb = own(beta);
        OpShapes.layerNorm(tx.shape(), tg.shape(), tb.shape());
        Shape rowShape = tx.shape().drop(-1);
        T y = allocate(tx.shape());
        T mean = allocate(rowShape);
        T rstd = allocate(rowShape);
        layerNorm(tx, tg, tb, eps, y, mean, rstd);
        return new LayerNormOutput(y, mean, rstd);
    }

    @Override
    public final LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        T tdy = own(dy);
        T tx = own(x);
        T tg = own(gamma);
        T tm = own(mean);
        T tr = own(rstd);
        OpShapes.layerNormBackward(tdy.shape(), tx.shape(), tg.shape(), tm.shape(), tr.shape());
        T dx = allocate(tx.shape());
        T dgamma = allocate(tg.shape());
        T dbeta = allocate(tg.shape());
        layerNormBackward(tdy, tx, tg, tm, tr, dx, dgamma, dbeta);
        return new LayerNormGradients(dx, dgamma, dbeta);
    }

    @Override
    public final Tensor gather(Tensor table, int[] ids) {
        T t = own(table);
        T out = allocate(OpShapes.gather(t.shape(), ids));
        gather(t, ids, out);
        return out;
    }

    @Override
    public final void scatterAddInPlace(Tensor table, int[] ids, Tensor rows) {
        T t = own(table);
        T r = own(rows);
        OpShapes.scatterAdd(t.shape(), ids, r.shape());
        scatterAdd(t, ids, r);
    }

    @Override
    public final CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, 0f, false, false);
    }

    @Override
    public final CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing,
            int ignoreIndex, float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true, false);
    }

    @Override
    public final CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing,
            int ignoreIndex, float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true, true);
    }

    private CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale, boolean withGradient, boolean inPlace) {
        T t = own(logits);
        Shape rowShape = OpShapes.crossEntropy(t.shape(), targets, smoothing, ignoreIndex);
        T loss = allocate(rowShape);
        T nll = allocate(rowShape);
        T grad = !withGradient ? null : inPlace ? t : allocate(t.shape());
        crossEntropy(t, targets, smoothing, ignoreIndex, gradScale, loss, nll, grad);
        return new CrossEntropyOutput(loss, nll, grad);
    }

    @Override
    public final Tensor sum(Tensor x, int axis) {
        return reduce(x, axis, false);
    }

    @Override
    public final Tensor mean(Tensor x, int axis) {
        return reduce(x, axis, true);
    }

    private Tensor reduce(Tensor x, int axis, boolean mean) {
        T t = own(x);
        Shape s = t.shape();
        int a = s.axis(axis);
        T out = allocate(s.drop(a));
        reduce(t, s.product(0, a), s.dim(a), s.product(a + 1, s.rank()), mean, out);
        return out;
    }

    @Override
    public final double sumOfSquares(Tensor x) {
        return sumSquares(own(x));
    }

    @Override
    public final int[] argmax(Tensor x) {
        T t = own(x);
        int d = t.shape().last();
        return argmax(t, Math.toIntExact(t.shape().rows()), d);
    }

    @Override
    public final TopK topK(Tensor x, int k) {
        T t = own(x);
        OpShapes.rank("topK", t.shape(), 1);
        int d = t.shape().last();
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("topK: k must be between 1 and the row length " + d + ", not " + k);
        }
        int rows = Math.toIntExact(t.shape().rows());
        float[] values = new float[rows * k];
        int[] indices = new int[rows * k];
        topK(t, rows, d, k, values, indices);
        return new TopK(rows, k, values, indices);
    }

    @Override
    public final void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        T p = own(param);
        T g = own(grad);
        T tm = own(m);
        T tv = own(v);
        OpShapes.same("adamStepInPlace (grad)", p.shape(), g.shape());
        OpShapes.same("adamStepInPlace (m)", p.shape(), tm.shape());
        OpShapes.same("adamStepInPlace (v)", p.shape(), tv.shape());
        adam(p, g, tm, tv, step);
    }
}
