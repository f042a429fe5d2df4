package org.transformer4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

class NativeBlockPoolTest {

    @Test
    void sizeClassesHoldTheRequestAndTheirIndicesCountUpWithoutGaps() {
        long previousClass = 0;
        int expectedIndex = 0;
        for (long bytes = 1; bytes <= (1L << 34); bytes = bytes < 100_000 ? bytes + 97 : bytes + bytes / 13) {
            long size = NativeBlockPool.sizeClass(bytes);
            assertTrue(size >= bytes && size - bytes < Math.max(4096, bytes / 8 + 1), bytes + " -> " + size);
            if (size != previousClass) {
                assertEquals(NativeBlockPool.sizeClass(size), size, "a class size is its own class");
                int index = NativeBlockPool.classIndex(size);
                assertTrue(index >= expectedIndex, "indices grow with the size: " + size + " -> " + index);
                expectedIndex = index + 1;
                previousClass = size;
            }
        }
        assertEquals(0, NativeBlockPool.classIndex(4096));
        assertEquals(7, NativeBlockPool.classIndex(32 * 1024));
        assertEquals(8, NativeBlockPool.classIndex(32 * 1024 + 4096));
        assertEquals(15, NativeBlockPool.classIndex(64 * 1024));
    }

    @Test
    void aRequestTakesACachedBlockUpToTwiceItsSizeButNoLarger() {
        NativeBlockPool pool = new NativeBlockPool();
        MemorySegment big = pool.take(1_000_000);
        pool.give(big);
        assertSame(big, pool.take(600_000), "a block 1.6 times the request is used, not left to be freed");
        pool.give(big);
        MemorySegment fresh = pool.take(400_000);
        assertTrue(fresh != big && fresh.byteSize() < big.byteSize(), "a block 2.5 times the request is not");
        pool.give(fresh);
        pool.trim();
    }

    @Test
    void aGivenBlockIsTheNextTakenOfItsClass() {
        NativeBlockPool pool = new NativeBlockPool();
        MemorySegment a = pool.take(100_000);
        MemorySegment b = pool.take(100_000);
        pool.give(a);
        pool.give(b);
        assertEquals(a.byteSize() + b.byteSize(), pool.cachedBytes());
        assertSame(b, pool.take(99_000), "the warmest block first");
        assertSame(a, pool.take(100_000));
        assertEquals(0, pool.cachedBytes());
        pool.give(a);
        pool.give(b);
        pool.trim();
        assertEquals(0, pool.cachedBytes());
    }
}
