package org.transformer4j.backend.cuda;

import org.transformer4j.api.spi.BlockPool;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.Storage;

/** Device memory of one or more tensors (views share it); the block goes back to the pool when the last closes. */
final class CudaStorage extends Storage {

    final DevicePointer block;
    private final BlockPool<DevicePointer> pool;
    private final MemoryTracker tracker;

    CudaStorage(BlockPool<DevicePointer> pool, MemoryTracker tracker, DevicePointer block, long elements) {
        super(elements * Float.BYTES);
        this.pool = pool;
        this.block = block;
        this.tracker = tracker;
        tracker.allocated(bytes());
    }

    @Override
    protected void free() {
        pool.give(block);
        tracker.freed(bytes());
    }
}
