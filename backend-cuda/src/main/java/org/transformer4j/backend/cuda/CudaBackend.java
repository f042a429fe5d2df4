package org.transformer4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import java.util.Locale;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.BackendException;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.MemoryStats;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.BlockPool;
import org.transformer4j.api.spi.KernelBackend;
import org.transformer4j.api.spi.MemoryTracker;

import jcuda.Pointer;

/**
 * The NVIDIA GPU backend: tensors in device memory (recycled through a {@link BlockPool}), every op on one
 * stream, matrix products by cuBLAS ({@link Cublas}), everything else by our kernels ({@code t4j_kernels.cu},
 * loaded as PTX). Data crosses to the host only where the op set says so: tensors in and out, token ids in,
 * argmax and the sum of squares out. Shape checks and output allocation are {@link KernelBackend}'s.
 *
 * <p>Written and checked without a GPU so far (the kernels on a CPU emulator); see docs/backends.md for what has
 * run on a device.
 */
public final class CudaBackend extends KernelBackend<CudaTensor> {

    private final DeviceInfo info;
    private final CudaDevice device;
    private final Cublas cublas;
    private final MemoryTracker memory = new MemoryTracker();
    private final BlockPool<DevicePointer> pool;

    CudaBackend(DeviceInfo info, int ordinal, boolean tf32) {
        super(CudaTensor.class);
        this.info = info;
        this.device = new CudaDevice(ordinal);
        Cublas c;
        try {
            c = new Cublas(device.streamHandle(), tf32);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        this.cublas = c;
        this.pool = new BlockPool<>(new DeviceAllocator(device));
    }

    // ---------------------------------------------------------------- identity and memory

    @Override
    public String name() {
        return CudaBackendProvider.NAME;
    }

    @Override
    public DeviceInfo device() {
        return info;
    }

    @Override
    public MemoryStats memory() {
        return memory.stats(pool.cachedBytes());
    }

    @Override
    public void releaseCachedMemory() {
        device.synchronize();
        pool.trim();
    }

    @Override
    public void synchronize() {
        device.synchronize();
    }

    @Override
    public void close() {
        device.synchronize();
        pool.trim();
        cublas.close();
        device.close();
    }

    @Override
    protected CudaTensor allocate(Shape shape) {
        return new CudaTensor(this, shape, new CudaStorage(pool, memory, block(shape.size() * Float.BYTES),
                shape.size()));
    }

    /** A device block, after freeing the cached ones if the device is full; a clear error if it is still full. */
    private DevicePointer block(long bytes) {
        try {
            return pool.take(bytes);
        } catch (DeviceOutOfMemoryException first) {
            device.synchronize();
            pool.trim();
            try {
                return pool.take(bytes);
            } catch (DeviceOutOfMemoryException e) {
                long[] freeTotal = device.memoryInfo();
                throw new BackendException(String.format(Locale.ROOT,
                        "cuda: out of device memory: %.1f MiB requested, %.1f MiB free of %.1f GiB, %.1f MiB held"
                                + " by tensors", bytes / 1048576.0, freeTotal[0] / 1048576.0,
                        freeTotal[1] / 1073741824.0, memory.inUse() / 1048576.0), e);
            }
        }
    }

    @Override
    protected CudaTensor view(CudaTensor x, Shape shape) {
        return new CudaTensor(this, shape, x.storage());
    }

    // ---------------------------------------------------------------- creation, host copies, layout

    @Override
    protected CudaTensor allocateZeros(Shape shape) {
        CudaTensor t = allocate(shape);
        device.makeCurrent();
        cuMemsetD32Async(t.data(), 0, t.n(), device.stream);
        return t;
    }

    @Override
    protected CudaTensor allocateFromHost(float[] data, Shape shape) {
        CudaTensor t = allocate(shape);
        writeHost(data, t);
        return t;
    }

    @Override
    protected void writeHost(float[] src, CudaTensor dst) {
        // Synchronous, on the legacy stream: ordered after the work queued on our (blocking) stream.
        device.makeCurrent();
        cuMemcpyHtoD(dst.data(), Pointer.to(src), (long) src.length * Float.BYTES);
    }

    @Override
    protected void readHost(CudaTensor src, float[] dst) {
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst), src.data(), src.n() * Float.BYTES);
    }

    /** Token ids or targets on the device, in a block the caller gives back when the kernel is queued. */
    private DevicePointer upload(int[] values) {
        DevicePointer p = block(Math.max(1, values.length) * (long) Integer.BYTES);
        device.makeCurrent();
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), (long) values.length * Integer.BYTES);
        }
        return p;
    }

    @Override
    protected void permute(CudaTensor x, int[] axes, CudaTensor out) {
        int rank = axes.length;
        if (rank > 4) {
            throw new IllegalArgumentException("permute: the cuda backend permutes up to 4 axes, got " + x.shape());
        }
        long[] strides = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = s;
            s *= x.shape().dim(i);
        }
        long[] o = {1, 1, 1, 1};
        long[] st = {0, 0, 0, 0};
        for (int i = 0; i < rank; i++) {
            o[4 - rank + i] = x.shape().dim(axes[i]);
            st[4 - rank + i] = strides[axes[i]];
        }
        device.launch("t4j_permute4", CudaDevice.gridFor(x.n()), x.data(), out.data(), o[0], o[1], o[2], o[3], st[0],
                st[1], st[2], st[3]);
    }

    @Override
    protected void copy(CudaTensor x, CudaTensor out) {
        device.makeCurrent();
        cuMemcpyDtoDAsync(out.data(), x.data(), x.n() * Float.BYTES, device.stream);
    }

    @Override
    protected void concat(CudaTensor a, CudaTensor b, int axis, int outer, int blockA, int blockB, CudaTensor out) {
        device.launch("t4j_concat", CudaDevice.gridFor(out.n()), a.data(), (long) blockA, b.data(), (long) blockB,
                (long) outer, out.data());
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    protected void matmul(CudaTensor a, CudaTensor b, boolean transA, boolean transB, int batches, int m, int n, int k,
            CudaTensor out) {
        device.makeCurrent();
        if ((long) m * n == 0) {
            return;
        }
        if (k == 0) {
            cuMemsetD32Async(out.data(), 0, out.n(), device.stream);
            return;
        }
        cublas.gemm(transA, transB, batches, m, n, k, a.data().address(), b.data().address(), out.data().address());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void add(CudaTensor a, CudaTensor b, CudaTensor out) {
        device.launch("t4j_add", CudaDevice.gridFor(a.n()), a.data(), b.data(), out.data(), a.n(), b.n());
    }

    @Override
    protected void mul(CudaTensor a, CudaTensor b, CudaTensor out) {
        device.launch("t4j_mul", CudaDevice.gridFor(a.n()), a.data(), b.data(), out.data(), a.n(), b.n());
    }

    @Override
    protected void scale(CudaTensor x, float alpha, CudaTensor out) {
        device.launch("t4j_scale", CudaDevice.gridFor(x.n()), x.data(), alpha, out.data(), x.n());
    }

    @Override
    protected void axpy(float alpha, CudaTensor x, CudaTensor acc) {
        device.launch("t4j_axpy", CudaDevice.gridFor(acc.n()), alpha, x.data(), x.n(), acc.data(), acc.n());
    }

    @Override
    protected void relu(CudaTensor x, CudaTensor out) {
        device.launch("t4j_relu", CudaDevice.gridFor(x.n()), x.data(), out.data(), x.n());
    }

    @Override
    protected void reluBackward(CudaTensor dy, CudaTensor y, CudaTensor out) {
        device.launch("t4j_relu_backward", CudaDevice.gridFor(dy.n()), dy.data(), y.data(), out.data(), dy.n());
    }

    @Override
    protected void dropout(CudaTensor x, float p, long seed, CudaTensor out) {
        device.launch("t4j_dropout", CudaDevice.gridFor(x.n()), x.data(), p, seed, out.data(), x.n());
    }

    // ---------------------------------------------------------------- softmax and layer norm

    @Override
    protected void softmax(CudaTensor x, float scale, CudaTensor mask, CudaTensor out) {
        Shape s = x.shape();
        if (s.rank() > 4) {
            throw new IllegalArgumentException("softmax: the cuda backend takes up to 4 axes, got " + s);
        }
        long[] xd = padded(s);
        long[] m = {0, 0, 0, 0};
        if (mask != null) {
            long[] md = padded(mask.shape());
            long stride = 1;
            for (int i = 3; i >= 0; i--) {
                m[i] = md[i] == 1 ? 0 : stride;
                stride *= md[i];
            }
        }
        device.launch("t4j_softmax", rows(x), x.data(), scale, mask == null ? null : mask.data(), xd[1], xd[2], m[0],
                m[1], m[2], m[3], out.data(), (long) s.last());
    }

    /** The shape's dimensions, with leading 1s up to rank 4. */
    private static long[] padded(Shape s) {
        long[] d = {1, 1, 1, 1};
        for (int i = 0; i < s.rank(); i++) {
            d[4 - s.rank() + i] = s.dim(i);
        }
        return d;
    }

    private static int rows(CudaTensor x) {
        return Math.toIntExact(x.shape().rows());
    }

    @Override
    protected void softmaxBackward(CudaTensor y, CudaTensor dy, float scale, CudaTensor out) {
        device.launch("t4j_softmax_backward", rows(y), y.data(), dy.data(), scale, out.data(), (long) y.shape().last());
    }

    @Override
    protected void logSoftmax(CudaTensor x, CudaTensor out) {
        device.launch("t4j_log_softmax", rows(x), x.data(), out.data(), (long) x.shape().last());
    }

    @Override
    protected void layerNorm(CudaTensor x, CudaTensor gamma, CudaTensor beta, float eps, CudaTensor y, CudaTensor mean,
            CudaTensor rstd) {
        device.launch("t4j_layer_norm", rows(x), x.data(), gamma.data(), beta.data(), eps, y.data(), mean.data(),
                rstd.data(), (long) x.shape().last());
    }

    @Override
    protected void layerNormBackward(CudaTensor dy, CudaTensor x, CudaTensor gamma, CudaTensor mean, CudaTensor rstd,
            CudaTensor dx, CudaTensor dgamma, CudaTensor dbeta) {
        long d = x.shape().last();
        device.launch("t4j_layer_norm_backward_dx", rows(x), dy.data(), x.data(), gamma.data(), mean.data(),
                rstd.data(), dx.data(), d);
        device.launch("t4j_layer_norm_backward_params", CudaDevice.gridFor(d), dy.data(), x.data(), mean.data(),
                rstd.data(), dgamma.data(), dbeta.data(), (long) rows(x), d);
    }

    // ---------------------------------------------------------------- embeddings, loss, reductions, optimiser

    @Override
    protected void gather(CudaTensor table, int[] ids, CudaTensor out) {
        DevicePointer d = upload(ids);
        try {
            device.launch("t4j_gather", CudaDevice.gridFor(out.n()), table.data(), (long) table.shape().dim(1), d,
                    (long) ids.length, out.data());
        } finally {
            pool.give(d); // reused only by later work on the same stream
        }
    }

    @Override
    protected void scatterAdd(CudaTensor table, int[] ids, CudaTensor rows) {
        DevicePointer d = upload(ids);
        try {
            long width = table.shape().dim(1);
            device.launch("t4j_scatter_add", CudaDevice.gridFor(width), table.data(), width, d, (long) ids.length,
                    rows.data());
        } finally {
            pool.give(d);
        }
    }

    @Override
    protected void crossEntropy(CudaTensor logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
            CudaTensor loss, CudaTensor nll, CudaTensor grad) {
        DevicePointer t = upload(targets);
        try {
            device.launch("t4j_cross_entropy", logits.shape().dim(0), logits.data(), t, smoothing, ignoreIndex,
                    gradScale, loss.data(), nll.data(), grad == null ? null : grad.data(),
                    (long) logits.shape().dim(1));
        } finally {
            pool.give(t);
        }
    }

    @Override
    protected void reduce(CudaTensor x, long outer, int len, long inner, boolean mean, CudaTensor out) {
        device.launch("t4j_reduce_sum", CudaDevice.gridFor(outer * inner), x.data(), outer, (long) len, inner,
                mean ? 1f / len : 1f, out.data());
    }

    @Override
    protected double sumSquares(CudaTensor x) {
        int blocks = Math.min(CudaDevice.gridFor(x.n()), 1024);
        DevicePointer partials = block((long) blocks * Double.BYTES);
        try {
            device.launch("t4j_sum_squares", blocks, x.data(), x.n(), partials);
            double[] host = new double[blocks];
            cuMemcpyDtoH(Pointer.to(host), partials, (long) blocks * Double.BYTES);
            double s = 0;
            for (double p : host) {
                s += p;
            }
            return s;
        } finally {
            pool.give(partials);
        }
    }

    @Override
    protected int[] argmax(CudaTensor x, int rows, int d) {
        int[] out = new int[rows];
        if (rows == 0) {
            return out;
        }
        DevicePointer indices = block((long) rows * Integer.BYTES);
        try {
            device.launch("t4j_argmax", rows, x.data(), (long) d, indices);
            cuMemcpyDtoH(Pointer.to(out), indices, (long) rows * Integer.BYTES);
            return out;
        } finally {
            pool.give(indices);
        }
    }

    @Override
    protected void adam(CudaTensor p, CudaTensor g, CudaTensor m, CudaTensor v, AdamStep step) {
        float stepSize = (float) (step.learningRate() / step.firstMomentCorrection());
        float invSqrtC2 = (float) (1 / Math.sqrt(step.secondMomentCorrection()));
        device.launch("t4j_adam", CudaDevice.gridFor(p.n()), p.data(), g.data(), m.data(), v.data(), p.n(),
                step.beta1(), step.beta2(), step.epsilon(), stepSize, invSqrtC2, step.gradScale());
    }

    @Override
    protected void topK(CudaTensor x, int rows, int d, int k, float[] values, int[] indices) {
        if (rows == 0) {
            return;
        }
        DevicePointer v = block((long) rows * k * Float.BYTES);
        DevicePointer i = block((long) rows * k * Integer.BYTES);
        try {
            device.launch("t4j_top_k", rows, x.data(), (long) d, k, v, i);
            cuMemcpyDtoH(Pointer.to(values), v, (long) rows * k * Float.BYTES);
            cuMemcpyDtoH(Pointer.to(indices), i, (long) rows * k * Integer.BYTES);
        } finally {
            pool.give(v);
            pool.give(i);
        }
    }
}
