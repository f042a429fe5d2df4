package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Freed tensor memory kept for the next tensors of a similar size. Fresh memory from the system costs a page
 * fault per 4 KiB page the first time it is touched (the kernel zeroes it), which made a 64 MiB softmax five
 * times slower than on warm memory; a training step allocates the same sizes every time, so reusing blocks
 * keeps them warm (PyTorch's CUDA caching allocator, in miniature).
 *
 * <p>Blocks come in size classes (eight per power of two, so at most an eighth is wasted), and a request is
 * served from its class. Live and cached blocks together stay within a budget of a tenth over the peak of live blocks: a release that would exceed it frees the block, and a miss frees cached blocks of other classes
 * before allocating. {@link #trim} frees every cached block. Everything is freed explicitly, never by the
 * garbage collector.
 */
final class NativeBlockPool {

    private static final long MIN_BUDGET = 64L << 20;

    private final ConcurrentHashMap<Long, ConcurrentLinkedDeque<MemorySegment>> free = new ConcurrentHashMap<>();
    private final AtomicLong cached = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    /** The block size that holds {@code bytes}: multiples of 4 KiB up to 32 KiB, then eight classes per power of two. */
    static long sizeClass(long bytes) {
        if (bytes <= 32 * 1024) {
            return Math.max(4096, (bytes + 4095) / 4096 * 4096);
        }
        long step = Long.highestOneBit(bytes - 1) / 8;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes}; its segment is exactly the class size. */
    MemorySegment take(long bytes) {
        long size = sizeClass(bytes);
        ConcurrentLinkedDeque<MemorySegment> blocks = free.get(size);
        MemorySegment cachedBlock = blocks == null ? null : blocks.pollFirst();
        if (cachedBlock != null) {
            cached.addAndGet(-cachedBlock.byteSize());
            addLive(cachedBlock.byteSize());
            return cachedBlock;
        }
        evictFor(size);
        MemorySegment block = NativeMemory.allocate(size);
        addLive(size);
        return block;
    }

    void give(MemorySegment block) {
        long size = block.byteSize();
        live.addAndGet(-size);
        if (cached.get() + live.get() + size > budget()) {
            NativeMemory.free(block);
            return;
        }
        cached.addAndGet(size);
        free.computeIfAbsent(size, k -> new ConcurrentLinkedDeque<>()).addFirst(block);
    }

    private void addLive(long size) {
        long now = live.addAndGet(size);
        peak.accumulateAndGet(now, Math::max);
    }

    private long budget() {
        return Math.max(MIN_BUDGET, peak.get() / 10 * 11);
    }

    /** Frees cached blocks, largest classes first, until {@code needed} more bytes fit in the budget. */
    private void evictFor(long needed) {
        while (cached.get() > 0 && cached.get() + live.get() + needed > budget()) {
            Map.Entry<Long, ConcurrentLinkedDeque<MemorySegment>> largest = null;
            for (Map.Entry<Long, ConcurrentLinkedDeque<MemorySegment>> e : free.entrySet()) {
                if (!e.getValue().isEmpty() && (largest == null || e.getKey() > largest.getKey())) {
                    largest = e;
                }
            }
            MemorySegment victim = largest == null ? null : largest.getValue().pollLast();
            if (victim == null) {
                return;
            }
            cached.addAndGet(-victim.byteSize());
            NativeMemory.free(victim);
        }
    }

    /** Bytes held in cached blocks. */
    long cachedBytes() {
        return cached.get();
    }

    /** Frees every cached block. */
    void trim() {
        for (ConcurrentLinkedDeque<MemorySegment> blocks : free.values()) {
            for (MemorySegment b; (b = blocks.pollFirst()) != null;) {
                cached.addAndGet(-b.byteSize());
                NativeMemory.free(b);
            }
        }
    }
}
