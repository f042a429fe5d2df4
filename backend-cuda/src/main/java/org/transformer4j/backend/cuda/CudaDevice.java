package org.transformer4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.transformer4j.api.BackendException;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;

/**
 * One GPU as the backend uses it: the device's primary context (the one the CUDA runtime, and so cuBLAS, also
 * uses), one stream that every kernel, copy and product goes through in order, and our kernels loaded from the
 * PTX resource. Driver calls need the context current on the calling thread; {@link #makeCurrent} is called
 * before each.
 */
final class CudaDevice implements AutoCloseable {

    static final String PTX = "/org/transformer4j/backend/cuda/t4j_kernels.ptx";
    /** Threads per block; the row kernels' shared arrays are this long (T4J_BLOCK in t4j_kernels.cu). */
    static final int BLOCK = 256;
    private static final int MAX_GRID = 8192;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    final CudaStream stream = new CudaStream();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();

    CudaDevice(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        try {
            cuInit(0);
            cuDeviceGet(device, ordinal);
            cuDevicePrimaryCtxRetain(context, device);
            cuCtxSetCurrent(context);
            cuStreamCreate(stream, 0); // blocking: ordered with the synchronous copies of the legacy stream
            loadKernels();
        } catch (CudaException e) {
            throw new BackendException("cuda: cannot start on device " + ordinal + ": " + e.getMessage(), e);
        }
    }

    private void loadKernels() {
        byte[] ptx;
        try (InputStream in = CudaDevice.class.getResourceAsStream(PTX)) {
            if (in == null) {
                throw new BackendException("cuda: the kernels (" + PTX + ") are missing from the jar");
            }
            byte[] text = in.readAllBytes();
            ptx = Arrays.copyOf(text, text.length + 1); // the driver reads a NUL-terminated string
        } catch (IOException e) {
            throw new BackendException("cuda: cannot read the kernels: " + e.getMessage(), e);
        }
        JITOptions jit = new JITOptions();
        jit.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[16384]);
        jit.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, 16384);
        try {
            cuModuleLoadDataJIT(module, Pointer.to(ptx), jit);
        } catch (CudaException e) {
            String log = jit.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            throw new BackendException("cuda: the driver cannot load our kernels (" + e.getMessage() + ")"
                    + (log == null || log.isBlank() ? "" : ": " + log.strip().lines().findFirst().orElse("")), e);
        }
    }

    void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** The stream's raw handle, for cuBLAS. */
    long streamHandle() {
        return stream.handle();
    }

    /** Free and total device memory in bytes. */
    long[] memoryInfo() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    /** Blocks for a grid-stride kernel over n elements. */
    static int gridFor(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, MAX_GRID));
    }

    /**
     * Launches kernel {@code name} on the stream with {@code grid} blocks of {@link #BLOCK} threads. Arguments
     * are device pointers (null for a null pointer), {@code Long} (long long), {@code Integer} (int) or
     * {@code Float} (float), in the kernel's order.
     */
    void launch(String name, int grid, Object... args) {
        if (grid == 0) {
            return; // an empty tensor: nothing to do (a grid of 0 blocks is an error)
        }
        makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                params[i] = Pointer.to(new CUdeviceptr());
            } else if (a instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (a instanceof Long v) {
                params[i] = Pointer.to(new long[] {v});
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else {
                throw new IllegalArgumentException("kernel argument of type " + a.getClass());
            }
        }
        try {
            cuLaunchKernel(function(name), grid, 1, 1, BLOCK, 1, 1, 0, stream, Pointer.to(params), null);
        } catch (CudaException e) {
            throw new BackendException("cuda: kernel " + name + " failed to launch: " + e.getMessage(), e);
        }
    }

    private CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            f = new CUfunction();
            cuModuleGetFunction(f, module, name);
            functions.put(name, f);
        }
        return f;
    }

    void synchronize() {
        makeCurrent();
        try {
            cuStreamSynchronize(stream);
        } catch (CudaException e) {
            throw new BackendException("cuda: a kernel failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        makeCurrent();
        cuStreamSynchronize(stream);
        cuModuleUnload(module);
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
    }
}
