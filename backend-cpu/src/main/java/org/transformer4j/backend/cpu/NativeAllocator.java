package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;

import org.transformer4j.api.spi.BlockPool;

/** The cpu backend's blocks for {@link BlockPool}: 64-byte aligned native memory from the C library. */
final class NativeAllocator implements BlockPool.Allocator<MemorySegment> {

    static final NativeAllocator INSTANCE = new NativeAllocator();

    private NativeAllocator() {
    }

    @Override
    public MemorySegment allocate(long bytes) {
        return NativeMemory.allocate(bytes);
    }

    @Override
    public void free(MemorySegment block) {
        NativeMemory.free(block);
    }

    @Override
    public long size(MemorySegment block) {
        return block.byteSize();
    }
}
