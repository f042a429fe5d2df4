package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;

import org.transformer4j.api.spi.BlockPool;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.Storage;

/**
 * Native memory for one tensor (and its reshaped views): a block from the backend's pool, given back when the
 * last view closes. {@link #data} covers exactly the tensor's elements (the block may be a little larger).
 */
final class CpuStorage extends Storage {

    final MemorySegment data;
    private final MemorySegment block;
    private final BlockPool<MemorySegment> pool;
    private final MemoryTracker tracker;

    CpuStorage(BlockPool<MemorySegment> pool, MemoryTracker tracker, long elements) {
        super(elements * Float.BYTES);
        this.pool = pool;
        this.block = pool.take(bytes());
        this.data = block.asSlice(0, bytes());
        this.tracker = tracker;
        tracker.allocated(bytes());
    }

    @Override
    protected void free() {
        pool.give(block);
        tracker.freed(bytes());
    }
}
