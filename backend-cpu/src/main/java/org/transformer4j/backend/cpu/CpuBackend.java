package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.OpShapes;
import org.transformer4j.backend.cpu.kernels.CrossEntropy;
import org.transformer4j.backend.cpu.kernels.Elementwise;
import org.transformer4j.backend.cpu.kernels.Gemm;
import org.transformer4j.backend.cpu.kernels.LayerNorm;
import org.transformer4j.backend.cpu.kernels.Mem;
import org.transformer4j.backend.cpu.kernels.Optimizer;
import org.transformer4j.backend.cpu.kernels.Layout;
import org.transformer4j.backend.cpu.kernels.Parallel;
import org.transformer4j.backend.cpu.kernels.Softmax;

/**
 * The pure-Java backend: tensors live in native memory from the C library, recycled through a
 * {@link NativeBlockPool} and freed explicitly (never by the garbage collector), and the kernels in
 * {@code kernels} run on the backend's own threads with the Vector API. This class validates shapes (with {@link OpShapes}), allocates outputs and
 * calls a kernel; it holds no arithmetic of its own.
 */
public final class CpuBackend implements Backend {

    private final DeviceInfo device;
    private final Parallel par;
    private final boolean simd;
    private final MemoryTracker memory = new MemoryTracker();
    private final NativeBlockPool pool = new NativeBlockPool();

    CpuBackend(DeviceInfo device, int threads, boolean simd) {
        this.device = device;
        this.par = new Parallel(threads);
        this.simd = simd;
    }

    // ---------------------------------------------------------------- identity and memory

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    /** Threads used by the kernels. */
    public int threads() {
        return par.threads();
    }

    /** Whether the Vector API kernels are used (else their scalar twins). */
    public boolean simd() {
        return simd;
    }

    @Override
    public MemoryStats memory() {
        return memory.stats(pool.cachedBytes());
    }

    @Override
    public void releaseCachedMemory() {
        pool.trim();
    }

    @Override
    public void close() {
        par.close();
        pool.trim();
    }

    private CpuTensor allocate(Shape shape) {
        return new CpuTensor(this, shape, new CpuStorage(pool, memory, shape.size()));
    }

    private CpuTensor cpu(Tensor t) {
        if (t instanceof CpuTensor c && c.backend() == this) {
            return c;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to this cpu backend; copy it through the host first");
    }

    // ---------------------------------------------------------------- creation and host copies

    @Override
    public Tensor zeros(Shape shape) {
        CpuTensor t = allocate(shape);
        Mem.fill(t.data(), 0, t.n(), 0f);
        return t;
    }

    @Override
    public Tensor fromHost(float[] data, Shape shape) {
        OpShapes.hostLength("fromHost", data.length, shape);
        CpuTensor t = allocate(shape);
        MemorySegment.copy(data, 0, t.data(), ValueLayout.JAVA_FLOAT, 0, data.length);
        return t;
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        CpuTensor d = cpu(dst);
        OpShapes.hostLength("copyFromHost", src.length, d.shape());
        MemorySegment.copy(src, 0, d.data(), ValueLayout.JAVA_FLOAT, 0, src.length);
    }

    @Override
    public void toHost(Tensor t, float[] dst) {
        CpuTensor c = cpu(t);
        OpShapes.hostCapacity("toHost", dst.length, c.shape());
        MemorySegment.copy(c.data(), ValueLayout.JAVA_FLOAT, 0, dst, 0, c.n());
    }

    // ---------------------------------------------------------------- views and copies

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        CpuTensor c = cpu(x);
        OpShapes.reshape(c.shape(), shape);
        return new CpuTensor(this, shape, c.storage());
    }

    @Override
    public Tensor permute(Tensor x, int... axes) {
        CpuTensor c = cpu(x);
        CpuTensor out = allocate(OpShapes.permute(c.shape(), axes));
        Layout.permute(par, c.data(), c.n(), c.shape().toArray(), axes, out.data());
        return out;
    }

    @Override
    public Tensor copy(Tensor x) {
        CpuTensor c = cpu(x);
        CpuTensor out = allocate(c.shape());
        Mem.copy(c.data(), 0, out.data(), 0, c.n());
        return out;
    }

    @Override
    public Tensor concat(Tensor a, Tensor b, int axis) {
        CpuTensor ca = cpu(a);
        CpuTensor cb = cpu(b);
        Shape outShape = OpShapes.concat(ca.shape(), cb.shape(), axis);
        CpuTensor out = allocate(outShape);
        int ax = axis < 0 ? axis + outShape.rank() : axis;
        int inner = 1;
        for (int i = ax + 1; i < outShape.rank(); i++) {
            inner *= outShape.dim(i);
        }
        int blockA = ca.shape().dim(ax) * inner;
        int blockB = cb.shape().dim(ax) * inner;
        int outer = ca.n() / blockA;
        Layout.concat(par, ca.data(), blockA, cb.data(), blockB, outer, out.data());
        return out;
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        CpuTensor ca = cpu(a);
        CpuTensor cb = cpu(b);
        Shape outShape = OpShapes.matmul(ca.shape(), cb.shape(), transA, transB);
        CpuTensor out = allocate(outShape);
        int r = outShape.rank();
        int m = outShape.dim(r - 2);
        int n = outShape.dim(r - 1);
        int k = transA ? ca.shape().dim(r - 2) : ca.shape().dim(r - 1);
        int batches = (int) outShape.product(0, r - 2);
        MemorySegment ad = ca.data();
        MemorySegment bd = cb.data();
        MemorySegment cd = out.data();
        long aStride = (long) m * k;
        long bStride = (long) k * n;
        long cStride = (long) m * n;
        if (batches >= par.threads() && batches > 1) {
            // Many small products (attention heads): whole products per thread, each sequential.
            int perChunk = (int) Math.max(1, Gemm.SMALL_WORK / Math.max(1L, (long) m * n * k));
            par.forRange(batches, perChunk, (b0, b1) -> {
                for (int i = b0; i < b1; i++) {
                    Gemm.multiply(Parallel.SEQUENTIAL, simd, m, n, k, ad, i * aStride, transA, bd, i * bStride, transB, cd, i * cStride);
                }
            });
        } else {
            for (int i = 0; i < batches; i++) {
                Gemm.multiply(par, simd, m, n, k, ad, i * aStride, transA, bd, i * bStride, transB, cd, i * cStride);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public Tensor add(Tensor a, Tensor b) {
        CpuTensor ca = cpu(a);
        CpuTensor cb = cpu(b);
        CpuTensor out = allocate(OpShapes.broadcastSuffix("add", ca.shape(), cb.shape()));
        Elementwise.add(par, ca.data(), cb.data(), out.data(), ca.n(), cb.n());
        return out;
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        CpuTensor ca = cpu(a);
        CpuTensor cb = cpu(b);
        CpuTensor out = allocate(OpShapes.broadcastSuffix("mul", ca.shape(), cb.shape()));
        Elementwise.mul(par, ca.data(), cb.data(), out.data(), ca.n(), cb.n());
        return out;
    }

    @Override
    public Tensor scale(Tensor x, float alpha) {
        CpuTensor c = cpu(x);
        CpuTensor out = allocate(c.shape());
        Elementwise.scale(par, c.data(), alpha, out.data(), c.n());
        return out;
    }

    @Override
    public void addInPlace(Tensor acc, Tensor x, float alpha) {
        CpuTensor ca = cpu(acc);
        CpuTensor cx = cpu(x);
        OpShapes.broadcastSuffix("addInPlace", ca.shape(), cx.shape());
        Elementwise.axpy(par, simd, alpha, cx.data(), cx.n(), ca.data(), ca.n());
    }

    @Override
    public Tensor relu(Tensor x) {
        CpuTensor c = cpu(x);
        CpuTensor out = allocate(c.shape());
        Elementwise.relu(par, c.data(), out.data(), c.n());
        return out;
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        CpuTensor cdy = cpu(dy);
        CpuTensor cy = cpu(y);
        CpuTensor out = allocate(OpShapes.same("reluBackward", cdy.shape(), cy.shape()));
        Elementwise.reluBackward(par, cdy.data(), cy.data(), out.data(), cdy.n());
        return out;
    }

    @Override
    public Tensor dropout(Tensor x, float p, long seed) {
        OpShapes.dropout(p);
        if (p == 0f) {
            return copy(x);
        }
        CpuTensor c = cpu(x);
        CpuTensor out = allocate(c.shape());
        Elementwise.dropout(par, simd, c.data(), p, seed, out.data(), c.n());
        return out;
    }

    // ---------------------------------------------------------------- softmax and layer norm

    @Override
    public Tensor softmax(Tensor x, float scale, Tensor mask) {
        CpuTensor c = cpu(x);
        OpShapes.rank("softmax", c.shape(), 1);
        Softmax.Mask m = null;
        if (mask != null) {
            CpuTensor cm = cpu(mask);
            OpShapes.softmaxMask(c.shape(), cm.shape());
            m = new Softmax.Mask(cm.data(), c.shape().toArray(), broadcastStrides(cm.shape()));
        }
        CpuTensor out = allocate(c.shape());
        int d = c.shape().last();
        Softmax.forward(par, simd, c.data(), scale, m, out.data(), c.n() / d, d);
        return out;
    }

    /** Row-major strides of {@code shape}, with 0 for axes of size 1 (they are broadcast). */
    private static int[] broadcastStrides(Shape shape) {
        int[] strides = new int[shape.rank()];
        int s = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            strides[i] = shape.dim(i) == 1 ? 0 : s;
            s *= shape.dim(i);
        }
        return strides;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, float scale) {
        CpuTensor cy = cpu(y);
        CpuTensor cdy = cpu(dy);
        OpShapes.same("softmaxBackward", cy.shape(), cdy.shape());
        CpuTensor out = allocate(cy.shape());
        int d = cy.shape().last();
        Softmax.backward(par, simd, cy.data(), cdy.data(), scale, out.data(), cy.n() / d, d);
        return out;
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        CpuTensor c = cpu(x);
        OpShapes.rank("logSoftmax", c.shape(), 1);
        CpuTensor out = allocate(c.shape());
        int d = c.shape().last();
        Softmax.logSoftmax(par, simd, c.data(), out.data(), c.n() / d, d);
        return out;
    }

    @Override
    public LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        CpuTensor cx = cpu(x);
        CpuTensor cg = cpu(gamma);
        CpuTensor cb = cpu(beta);
        OpShapes.layerNorm(cx.shape(), cg.shape(), cb.shape());
        int d = cx.shape().last();
        int rows = cx.n() / d;
        Shape rowShape = cx.shape().drop(-1);
        CpuTensor y = allocate(cx.shape());
        CpuTensor mean = allocate(rowShape);
        CpuTensor rstd = allocate(rowShape);
        LayerNorm.forward(par, simd, cx.data(), cg.data(), cb.data(), eps, y.data(), mean.data(), rstd.data(), rows, d);
        return new LayerNormOutput(y, mean, rstd);
    }

    @Override
    public LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        CpuTensor cdy = cpu(dy);
        CpuTensor cx = cpu(x);
        CpuTensor cg = cpu(gamma);
        CpuTensor cm = cpu(mean);
        CpuTensor cr = cpu(rstd);
        OpShapes.layerNormBackward(cdy.shape(), cx.shape(), cg.shape(), cm.shape(), cr.shape());
        int d = cx.shape().last();
        CpuTensor dx = allocate(cx.shape());
        CpuTensor dgamma = allocate(cg.shape());
        CpuTensor dbeta = allocate(cg.shape());
        LayerNorm.backward(par, simd, cdy.data(), cx.data(), cg.data(), cm.data(), cr.data(),
                dx.data(), dgamma.data(), dbeta.data(), cx.n() / d, d);
        return new LayerNormGradients(dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public Tensor gather(Tensor table, int[] ids) {
        CpuTensor ct = cpu(table);
        CpuTensor out = allocate(OpShapes.gather(ct.shape(), ids));
        Layout.gather(par, ct.data(), ct.shape().dim(1), ids, out.data());
        return out;
    }

    @Override
    public void scatterAddInPlace(Tensor table, int[] ids, Tensor rows) {
        CpuTensor ct = cpu(table);
        CpuTensor cr = cpu(rows);
        OpShapes.scatterAdd(ct.shape(), ids, cr.shape());
        Layout.scatterAdd(par, simd, ct.data(), ct.shape().dim(1), ids, cr.data());
    }

    // ---------------------------------------------------------------- loss

    @Override
    public CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, 0f, false);
    }

    @Override
    public CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true);
    }

    @Override
    public CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, true, true);
    }

    private CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale, boolean withGradient) {
        return crossEntropy(logits, targets, smoothing, ignoreIndex, gradScale, withGradient, false);
    }

    private CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale, boolean withGradient, boolean inPlace) {
        CpuTensor cl = cpu(logits);
        Shape rowShape = OpShapes.crossEntropy(cl.shape(), targets, smoothing, ignoreIndex);
        CpuTensor loss = allocate(rowShape);
        CpuTensor nll = allocate(rowShape);
        CpuTensor grad = !withGradient ? null : inPlace ? cl : allocate(cl.shape());
        CrossEntropy.compute(par, simd, cl.data(), targets, smoothing, ignoreIndex, gradScale,
                loss.data(), nll.data(), grad == null ? null : grad.data(), cl.shape().dim(0), cl.shape().dim(1));
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
        CpuTensor c = cpu(x);
        Shape s = c.shape();
        int a = s.axis(axis);
        int len = s.dim(a);
        int outer = (int) s.product(0, a);
        int inner = (int) s.product(a + 1, s.rank());
        CpuTensor out = allocate(s.drop(a));
        Layout.sum(par, simd, c.data(), outer, len, inner, mean ? 1f / len : 1f, out.data());
        return out;
    }

    @Override
    public double sumOfSquares(Tensor x) {
        CpuTensor c = cpu(x);
        return Optimizer.sumOfSquares(par, c.data(), c.n());
    }

    @Override
    public void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        CpuTensor p = cpu(param);
        CpuTensor g = cpu(grad);
        CpuTensor cm = cpu(m);
        CpuTensor cv = cpu(v);
        OpShapes.same("adamStepInPlace (grad)", p.shape(), g.shape());
        OpShapes.same("adamStepInPlace (m)", p.shape(), cm.shape());
        OpShapes.same("adamStepInPlace (v)", p.shape(), cv.shape());
        Optimizer.adam(par, simd, p.data(), g.data(), cm.data(), cv.data(), p.n(), step.learningRate(), step.beta1(),
                step.beta2(), step.epsilon(), step.firstMomentCorrection(), step.secondMomentCorrection(), step.gradScale());
    }

    @Override
    public int[] argmax(Tensor x) {
        CpuTensor c = cpu(x);
        int d = c.shape().last();
        int rows = c.n() / d;
        int[] out = new int[rows];
        Layout.argmax(par, c.data(), rows, d, out);
        return out;
    }
}
