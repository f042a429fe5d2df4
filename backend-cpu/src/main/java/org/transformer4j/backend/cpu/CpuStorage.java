package org.transformer4j.backend.cpu;

import org.transformer4j.api.spi.Storage;

/** A host {@code float[]} taken from the backend's pool and given back to it when the last view closes. */
final class CpuStorage extends Storage {

    final float[] data;
    private final CpuBackend owner;

    CpuStorage(CpuBackend owner, float[] data) {
        super((long) data.length * Float.BYTES);
        this.owner = owner;
        this.data = data;
    }

    @Override
    protected void free() {
        owner.release(this);
    }
}
