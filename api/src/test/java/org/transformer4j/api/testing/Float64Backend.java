package org.transformer4j.api.testing;

import java.util.Map;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.DType;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.spi.AbstractTensor;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.OpShapes;
import org.transformer4j.api.spi.Storage;

/**
 * A scalar, single-threaded backend that computes every op in float64 with the plain definitions of
 * {@link Reference}: obviously correct and slow (Jlama's {@code NaiveTensorOperations}, in spirit). Tests run
 * the model on it to check gradients against finite differences, which float32 is too coarse for, and to get
 * reference scores for the real backends. It is not registered with ServiceLoader.
 */
public final class Float64Backend implements Backend {

    private final MemoryTracker memory = new MemoryTracker();

    static final class Float64Storage extends Storage {
        final double[] data;
        private final MemoryTracker tracker;

        Float64Storage(double[] data, MemoryTracker tracker) {
            super((long) data.length * Double.BYTES);
            this.data = data;
            this.tracker = tracker;
            tracker.allocated(bytes());
        }

        @Override
        protected void free() {
            tracker.freed(bytes());
        }
    }

    static final class Float64Tensor extends AbstractTensor<Float64Storage> {
        Float64Tensor(Float64Backend backend, Shape shape, Float64Storage storage) {
            super(backend, shape, DType.FLOAT64, storage);
        }
    }

    // ---------------------------------------------------------------- float64 access for tests

    /** The live float64 elements of a tensor of this backend (writes change the tensor). */
    public double[] data(Tensor t) {
        return f64(t).storage().data;
    }

    public Tensor fromDoubles(double[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(data.length + " values for " + shape);
        }
        return wrap(data.clone(), shape);
    }

    private Tensor wrap(double[] data, Shape shape) {
        return new Float64Tensor(this, shape, new Float64Storage(data, memory));
    }

    private Float64Tensor f64(Tensor t) {
        if (t instanceof Float64Tensor f && f.backend() == this) {
            return f;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to this float64 backend");
    }

    private double[] d(Tensor t) {
        return data(t);
    }

    // ---------------------------------------------------------------- Backend

    @Override
    public String name() {
        return "float64";
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo("float64 reference (tests only)", Map.of());
    }

    @Override
    public MemoryStats memory() {
        return memory.stats(0);
    }

    @Override
    public void close() {
    }

    @Override
    public Tensor zeros(Shape shape) {
        return wrap(new double[shape.intSize()], shape);
    }

    @Override
    public Tensor fromHost(float[] data, Shape shape) {
        OpShapes.hostLength("fromHost", data.length, shape);
        double[] x = new double[data.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = data[i];
        }
        return wrap(x, shape);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        OpShapes.hostLength("copyFromHost", src.length, dst.shape());
        double[] x = d(dst);
        for (int i = 0; i < x.length; i++) {
            x[i] = src[i];
        }
    }

    @Override
    public void toHost(Tensor t, float[] dst) {
        OpShapes.hostCapacity("toHost", dst.length, t.shape());
        double[] x = d(t);
        for (int i = 0; i < x.length; i++) {
            dst[i] = (float) x[i];
        }
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        OpShapes.reshape(x.shape(), shape);
        return new Float64Tensor(this, shape, f64(x).storage());
    }

    @Override
    public Tensor permute(Tensor x, int... axes) {
        Shape out = OpShapes.permute(x.shape(), axes);
        return wrap(Reference.permute(d(x), x.shape(), axes), out);
    }

    @Override
    public Tensor copy(Tensor x) {
        return wrap(d(x).clone(), x.shape());
    }

    @Override
    public Tensor concat(Tensor a, Tensor b, int axis) {
        Shape out = OpShapes.concat(a.shape(), b.shape(), axis);
        return wrap(Reference.concat(d(a), a.shape(), d(b), b.shape(), axis), out);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Shape out = OpShapes.matmul(a.shape(), b.shape(), transA, transB);
        return wrap(Reference.matmul(d(a), a.shape(), d(b), b.shape(), transA, transB), out);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        OpShapes.broadcastSuffix("add", a.shape(), b.shape());
        double[] x = d(a);
        double[] y = d(b);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + y[i % y.length];
        }
        return wrap(out, a.shape());
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        OpShapes.broadcastSuffix("mul", a.shape(), b.shape());
        double[] x = d(a);
        double[] y = d(b);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * y[i % y.length];
        }
        return wrap(out, a.shape());
    }

    @Override
    public Tensor scale(Tensor x, float alpha) {
        double[] v = d(x);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = alpha * v[i];
        }
        return wrap(out, x.shape());
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x, float alpha) {
        OpShapes.broadcastSuffix("addInPlace", acc.shape(), x.shape());
        double[] a = d(acc);
        double[] v = d(x);
        for (int i = 0; i < a.length; i++) {
            a[i] += alpha * v[i % v.length];
        }
    }

    @Override
    public Tensor relu(Tensor x) {
        double[] v = d(x);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(0, v[i]);
        }
        return wrap(out, x.shape());
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        OpShapes.same("reluBackward", dy.shape(), y.shape());
        double[] g = d(dy);
        double[] v = d(y);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > 0 ? g[i] : 0;
        }
        return wrap(out, y.shape());
    }

    @Override
    public Tensor dropout(Tensor x, float p, long seed) {
        OpShapes.dropout(p);
        double[] v = d(x);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Reference.keep(seed, i, p) ? v[i] / (1 - (double) p) : 0;
        }
        return wrap(out, x.shape());
    }

    @Override
    public Tensor softmax(Tensor x, float scale, Tensor mask) {
        OpShapes.softmaxMask(x.shape(), mask == null ? null : mask.shape());
        return wrap(Reference.softmax(d(x), x.shape(), scale, mask == null ? null : d(mask),
                mask == null ? null : mask.shape()), x.shape());
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, float scale) {
        OpShapes.same("softmaxBackward", y.shape(), dy.shape());
        return wrap(Reference.softmaxBackward(d(y), d(dy), y.shape().last(), scale), y.shape());
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        return wrap(Reference.logSoftmax(d(x), x.shape().last()), x.shape());
    }

    @Override
    public LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        OpShapes.layerNorm(x.shape(), gamma.shape(), beta.shape());
        double[][] r = Reference.layerNorm(d(x), d(gamma), d(beta), x.shape().last(), eps);
        Shape rows = x.shape().drop(-1);
        return new LayerNormOutput(wrap(r[0], x.shape()), wrap(r[1], rows), wrap(r[2], rows));
    }

    @Override
    public LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        OpShapes.layerNormBackward(dy.shape(), x.shape(), gamma.shape(), mean.shape(), rstd.shape());
        // Uses the saved statistics, as a real backend does, rather than recomputing them.
        double[][] g = Reference.layerNormBackward(d(dy), d(x), d(gamma), d(mean), d(rstd), x.shape().last());
        return new LayerNormGradients(wrap(g[0], x.shape()), wrap(g[1], gamma.shape()), wrap(g[2], gamma.shape()));
    }

    @Override
    public Tensor gather(Tensor table, int[] ids) {
        Shape out = OpShapes.gather(table.shape(), ids);
        int dim = table.shape().dim(1);
        double[] t = d(table);
        double[] rows = new double[ids.length * dim];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(t, ids[i] * dim, rows, i * dim, dim);
        }
        return wrap(rows, out);
    }

    @Override
    public void scatterAddInPlace(Tensor table, int[] ids, Tensor rows) {
        OpShapes.scatterAdd(table.shape(), ids, rows.shape());
        int dim = table.shape().dim(1);
        double[] t = d(table);
        double[] r = d(rows);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < dim; j++) {
                t[ids[i] * dim + j] += r[i * dim + j];
            }
        }
    }

    @Override
    public CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex) {
        CrossEntropyOutput full = crossEntropyWithGradient(logits, targets, smoothing, ignoreIndex, 1f);
        full.grad().close();
        return new CrossEntropyOutput(full.loss(), full.nll(), null);
    }

    @Override
    public CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        Shape rows = OpShapes.crossEntropy(logits.shape(), targets, smoothing, ignoreIndex);
        double[][] r = Reference.crossEntropy(d(logits), logits.shape().dim(1), targets, smoothing, ignoreIndex, gradScale);
        return new CrossEntropyOutput(wrap(r[0], rows), wrap(r[1], rows), wrap(r[2], logits.shape()));
    }

    @Override
    public CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        CrossEntropyOutput out = crossEntropyWithGradient(logits, targets, smoothing, ignoreIndex, gradScale);
        System.arraycopy(d(out.grad()), 0, d(logits), 0, d(logits).length);
        out.grad().close();
        return new CrossEntropyOutput(out.loss(), out.nll(), logits);
    }

    @Override
    public Tensor sum(Tensor x, int axis) {
        return wrap(Reference.sum(d(x), x.shape(), axis, 1), x.shape().drop(axis));
    }

    @Override
    public Tensor mean(Tensor x, int axis) {
        return wrap(Reference.sum(d(x), x.shape(), axis, 1.0 / x.shape().dim(axis)), x.shape().drop(axis));
    }

    @Override
    public double sumOfSquares(Tensor x) {
        double s = 0;
        for (double v : d(x)) {
            s += v * v;
        }
        return s;
    }

    @Override
    public void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        OpShapes.same("adamStepInPlace", param.shape(), grad.shape());
        Reference.adam(d(param), d(grad), d(m), d(v), step.learningRate(), step.beta1(), step.beta2(), step.epsilon(),
                step.step(), step.gradScale());
    }

    @Override
    public int[] argmax(Tensor x) {
        int dim = x.shape().last();
        double[] v = d(x);
        int[] out = new int[v.length / dim];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int j = 1; j < dim; j++) {
                if (v[r * dim + j] > v[r * dim + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
