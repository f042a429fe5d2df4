package org.transformer4j.backend.cpu;

import org.transformer4j.api.spi.Storage;

/**
 * A host {@code float[]} taken from the backend's pool and given back to it when the last view closes. The
 * array may be longer than the tensor (pool size classes); the storage accounts for the tensor's elements.
 */
final class CpuStorage extends Storage {

    final float[] data;
    private final CpuBackend owner;

    CpuStorage(CpuBackend owner, float[] data, int elements) {
        super((long) elements * Float.BYTES);
        this.owner = owner;
        this.data = data;
    }

    @Override
    protected void free() {
        owner.release(this);
    }
}
