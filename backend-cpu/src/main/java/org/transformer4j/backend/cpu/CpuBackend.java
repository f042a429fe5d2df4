package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.BlockPool;
import org.transformer4j.api.spi.KernelBackend;
import org.transformer4j.api.spi.MemoryTracker;
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
 * {@link BlockPool} and freed explicitly (never by the garbage collector), and the kernels in
 * {@code kernels} run on the backend's own threads with the Vector API. The ops' shape checks and output
 * allocation are {@link KernelBackend}'s; this class maps each kernel method onto a kernel and holds no
 * arithmetic of its own.
 */
public final class CpuBackend extends KernelBackend<CpuTensor> {

    private final DeviceInfo device;
    private final Parallel par;
    private final boolean simd;
    private final MemoryTracker memory = new MemoryTracker();
    private final BlockPool<MemorySegment> pool = new BlockPool<>(NativeAllocator.INSTANCE);

    CpuBackend(DeviceInfo device, int threads, boolean simd) {
        super(CpuTensor.class);
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

    @Override
    protected CpuTensor allocate(Shape shape) {
        return new CpuTensor(this, shape, new CpuStorage(pool, memory, shape.size()));
    }

    @Override
    protected CpuTensor view(CpuTensor x, Shape shape) {
        return new CpuTensor(this, shape, x.storage());
    }

    // ---------------------------------------------------------------- creation, host copies, layout

    @Override
    protected CpuTensor allocateZeros(Shape shape) {
        CpuTensor t = allocate(shape);
        Mem.fill(t.data(), 0, t.n(), 0f);
        return t;
    }

    @Override
    protected CpuTensor allocateFromHost(float[] data, Shape shape) {
        CpuTensor t = allocate(shape);
        writeHost(data, t);
        return t;
    }

    @Override
    protected void writeHost(float[] src, CpuTensor dst) {
        MemorySegment.copy(src, 0, dst.data(), ValueLayout.JAVA_FLOAT, 0, src.length);
    }

    @Override
    protected void readHost(CpuTensor src, float[] dst) {
        MemorySegment.copy(src.data(), ValueLayout.JAVA_FLOAT, 0, dst, 0, src.n());
    }

    @Override
    protected void permute(CpuTensor x, int[] axes, CpuTensor out) {
        Layout.permute(par, x.data(), x.n(), x.shape().toArray(), axes, out.data());
    }

    @Override
    protected void copy(CpuTensor x, CpuTensor out) {
        Mem.copy(x.data(), 0, out.data(), 0, x.n());
    }

    @Override
    protected void concat(CpuTensor a, CpuTensor b, int axis, int outer, int blockA, int blockB, CpuTensor out) {
        Layout.concat(par, a.data(), blockA, b.data(), blockB, outer, out.data());
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    protected void matmul(CpuTensor a, CpuTensor b, boolean transA, boolean transB, int batches, int m, int n, int k,
            CpuTensor out) {
        MemorySegment ad = a.data();
        MemorySegment bd = b.data();
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
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void add(CpuTensor a, CpuTensor b, CpuTensor out) {
        Elementwise.add(par, a.data(), b.data(), out.data(), a.n(), b.n());
    }

    @Override
    protected void mul(CpuTensor a, CpuTensor b, CpuTensor out) {
        Elementwise.mul(par, a.data(), b.data(), out.data(), a.n(), b.n());
    }

    @Override
    protected void scale(CpuTensor x, float alpha, CpuTensor out) {
        Elementwise.scale(par, x.data(), alpha, out.data(), x.n());
    }

    @Override
    protected void axpy(float alpha, CpuTensor x, CpuTensor acc) {
        Elementwise.axpy(par, simd, alpha, x.data(), x.n(), acc.data(), acc.n());
    }

    @Override
    protected void relu(CpuTensor x, CpuTensor out) {
        Elementwise.relu(par, x.data(), out.data(), x.n());
    }

    @Override
    protected void reluBackward(CpuTensor dy, CpuTensor y, CpuTensor out) {
        Elementwise.reluBackward(par, dy.data(), y.data(), out.data(), dy.n());
    }

    @Override
    protected void dropout(CpuTensor x, float p, long seed, CpuTensor out) {
        Elementwise.dropout(par, simd, x.data(), p, seed, out.data(), x.n());
    }

    // ---------------------------------------------------------------- softmax and layer norm

    @Override
    protected void softmax(CpuTensor x, float scale, CpuTensor mask, CpuTensor out) {
        Softmax.Mask m = mask == null ? null
                : new Softmax.Mask(mask.data(), x.shape().toArray(), broadcastStrides(mask.shape()));
        int d = x.shape().last();
        Softmax.forward(par, simd, x.data(), scale, m, out.data(), x.n() / d, d);
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
    protected void softmaxBackward(CpuTensor y, CpuTensor dy, float scale, CpuTensor out) {
        int d = y.shape().last();
        Softmax.backward(par, simd, y.data(), dy.data(), scale, out.data(), y.n() / d, d);
    }

    @Override
    protected void logSoftmax(CpuTensor x, CpuTensor out) {
        int d = x.shape().last();
        Softmax.logSoftmax(par, simd, x.data(), out.data(), x.n() / d, d);
    }

    @Override
    protected void layerNorm(CpuTensor x, CpuTensor gamma, CpuTensor beta, float eps, CpuTensor y, CpuTensor mean,
            CpuTensor rstd) {
        int d = x.shape().last();
        LayerNorm.forward(par, simd, x.data(), gamma.data(), beta.data(), eps, y.data(), mean.data(), rstd.data(),
                x.n() / d, d);
    }

    @Override
    protected void layerNormBackward(CpuTensor dy, CpuTensor x, CpuTensor gamma, CpuTensor mean, CpuTensor rstd,
            CpuTensor dx, CpuTensor dgamma, CpuTensor dbeta) {
        int d = x.shape().last();
        LayerNorm.backward(par, simd, dy.data(), x.data(), gamma.data(), mean.data(), rstd.data(),
                dx.data(), dgamma.data(), dbeta.data(), x.n() / d, d);
    }

    // ---------------------------------------------------------------- embeddings, loss, reductions, optimiser

    @Override
    protected void gather(CpuTensor table, int[] ids, CpuTensor out) {
        Layout.gather(par, table.data(), table.shape().dim(1), ids, out.data());
    }

    @Override
    protected void scatterAdd(CpuTensor table, int[] ids, CpuTensor rows) {
        Layout.scatterAdd(par, simd, table.data(), table.shape().dim(1), ids, rows.data());
    }

    @Override
    protected void crossEntropy(CpuTensor logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
            CpuTensor loss, CpuTensor nll, CpuTensor grad) {
        CrossEntropy.compute(par, simd, logits.data(), targets, smoothing, ignoreIndex, gradScale,
                loss.data(), nll.data(), grad == null ? null : grad.data(), logits.shape().dim(0), logits.shape().dim(1));
    }

    @Override
    protected void reduce(CpuTensor x, long outer, int len, long inner, boolean mean, CpuTensor out) {
        Layout.sum(par, simd, x.data(), Math.toIntExact(outer), len, Math.toIntExact(inner), mean ? 1f / len : 1f,
                out.data());
    }

    @Override
    protected double sumSquares(CpuTensor x) {
        return Optimizer.sumOfSquares(par, x.data(), x.n());
    }

    @Override
    protected int[] argmax(CpuTensor x, int rows, int d) {
        int[] out = new int[rows];
        Layout.argmax(par, x.data(), rows, d, out);
        return out;
    }

    @Override
    protected void adam(CpuTensor p, CpuTensor g, CpuTensor m, CpuTensor v, AdamStep step) {
        Optimizer.adam(par, simd, p.data(), g.data(), m.data(), v.data(), p.n(), step.learningRate(), step.beta1(),
                step.beta2(), step.epsilon(), step.firstMomentCorrection(), step.secondMomentCorrection(), step.gradScale());
    }

    @Override
    protected void topK(CpuTensor x, int rows, int d, int k, float[] values, int[] indices) {
        Layout.topK(par, x.data(), rows, d, k, values, indices);
    }
}
