package org.transformer4j.backend.cuda;

import jcuda.driver.CUdeviceptr;

/** A block of device memory from {@code cuMemAlloc}, with its size and raw address (for cuBLAS). */
final class DevicePointer extends CUdeviceptr {

    final long bytes;

    DevicePointer(long bytes) {
        this.bytes = bytes;
    }

    /** The device address, as cuBLAS takes it. */
    long address() {
        return getNativePointer();
    }
}
