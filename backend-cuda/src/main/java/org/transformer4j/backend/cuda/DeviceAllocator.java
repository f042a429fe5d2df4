package org.transformer4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import org.transformer4j.api.spi.BlockPool;

import jcuda.CudaException;

/**
 * Device memory for {@link BlockPool}: {@code cuMemAlloc} and {@code cuMemFree} in the backend's context. Fresh
 * device memory is expensive in another way than host memory (cuMemAlloc and cuMemFree synchronise the device),
 * so the pool's reuse matters here too.
 */
final class DeviceAllocator implements BlockPool.Allocator<DevicePointer> {

    private final CudaDevice device;

    DeviceAllocator(CudaDevice device) {
        this.device = device;
    }

    @Override
    public DevicePointer allocate(long bytes) {
        device.makeCurrent();
        DevicePointer p = new DevicePointer(bytes);
        try {
            cuMemAlloc(p, bytes);
        } catch (CudaException e) {
            if (String.valueOf(e.getMessage()).contains("OUT_OF_MEMORY")) {
                throw new DeviceOutOfMemoryException(bytes, e);
            }
            throw e;
        }
        return p;
    }

    @Override
    public void free(DevicePointer block) {
        device.makeCurrent();
        cuMemFree(block);
    }

    @Override
    public long size(DevicePointer block) {
        return block.bytes;
    }
}
