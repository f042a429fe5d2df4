package org.transformer4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BlockPoolTest {

    /** Blocks that are only numbers and sizes; counts what the pool asks of the system. */
    static final class FakeAllocator implements BlockPool.Allocator<FakeAllocator.Block> {
        record Block(int id, long size) {
        }

        final List<Block> live = new ArrayList<>();
        int allocations;
        int frees;

        @Override
        public Block allocate(long bytes) {
            Block b = new Block(allocations++, bytes);
            live.add(b);
            return b;
        }

        @Override
        public void free(Block block) {
            assertTrue(live.remove(block), "freed twice or never allocated: " + block);
            frees++;
        }

        @Override
        public long size(Block block) {
            return block.size();
        }
    }


    @Test
    void sizeClassesHoldTheRequestAndTheirIndicesCountUpWithoutGaps() {
        long previousClass = 0;
        int expectedIndex = 0;
        for (long bytes = 1; bytes <= (1L << 34); bytes = bytes < 100_000 ? bytes + 97 : bytes + bytes / 13) {
            long size = BlockPool.sizeClass(bytes);
            assertTrue(size >= bytes && size - bytes < Math.max(4096, bytes / 8 + 1), bytes + " -> " + size);
            if (size != previousClass) {
                assertEquals(BlockPool.sizeClass(size), size, "a class size is its own class");
                int index = BlockPool.classIndex(size);
                assertTrue(index >= expectedIndex, "indices grow with the size: " + size + " -> " + index);
                expectedIndex = index + 1;
                previousClass = size;
            }
        }
        assertEquals(0, BlockPool.classIndex(4096));
        assertEquals(7, BlockPool.classIndex(32 * 1024));
        assertEquals(8, BlockPool.classIndex(32 * 1024 + 4096));
        assertEquals(15, BlockPool.classIndex(64 * 1024));
    }

    @Test
    void aRequestTakesACachedBlockUpToTwiceItsSizeButNoLarger() {
        FakeAllocator system = new FakeAllocator();
        BlockPool<FakeAllocator.Block> pool = new BlockPool<>(system);
        FakeAllocator.Block big = pool.take(1_000_000);
        pool.give(big);
        assertSame(big, pool.take(600_000), "a block 1.6 times the request is used, not left to be freed");
        pool.give(big);
        FakeAllocator.Block fresh = pool.take(400_000);
        assertTrue(fresh != big && fresh.size() < big.size(), "a block 2.5 times the request is not");
        pool.give(fresh);
        pool.trim();
        assertEquals(List.of(), system.live, "trim returns every cached block");
    }

    @Test
    void aGivenBlockIsTheNextTakenOfItsClass() {
        FakeAllocator system = new FakeAllocator();
        BlockPool<FakeAllocator.Block> pool = new BlockPool<>(system);
        FakeAllocator.Block a = pool.take(100_000);
        FakeAllocator.Block b = pool.take(100_000);
        pool.give(a);
        pool.give(b);
        assertEquals(a.size() + b.size(), pool.cachedBytes());
        assertSame(b, pool.take(99_000), "the warmest block first");
        assertSame(a, pool.take(100_000));
        assertEquals(0, pool.cachedBytes());
        pool.give(a);
        pool.give(b);
        pool.trim();
        assertEquals(0, pool.cachedBytes());
    }

    @Test
    void cachedBlocksStayWithinThirtyPercentOverThePeakAndTheSmallestGoFirst() {
        FakeAllocator system = new FakeAllocator();
        BlockPool<FakeAllocator.Block> pool = new BlockPool<>(system);
        long mib = 1L << 20;
        List<FakeAllocator.Block> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(pool.take(10 * mib)); // peak 100 MiB of live blocks: a budget of 130 MiB
        }
        blocks.forEach(pool::give);
        assertEquals(0, system.frees, "all 100 MiB stay cached");
        FakeAllocator.Block small = pool.take(mib);
        pool.give(small);
        FakeAllocator.Block large = pool.take(35 * mib); // a miss: 101 cached + 35 is over 130, so room is made
        assertTrue(system.live.stream().mapToLong(FakeAllocator.Block::size).sum() <= 130 * mib, "over the budget");
        assertTrue(!system.live.contains(small), "the smallest cached block is evicted first");
        assertEquals(9, blocks.stream().filter(system.live::contains).count(), "then one 10 MiB block, no more");
        pool.give(large);
        pool.trim();
        assertEquals(List.of(), system.live);
        assertEquals(system.allocations, system.frees);
    }
}
