package org.transformer4j.api.spi;

import java.util.Arrays;

/**
 * Freed tensor memory kept for the next tensors of a similar size. Fresh memory from the system costs a page
 * fault per 4 KiB page the first time it is touched (the kernel zeroes it), which made a 64 MiB softmax five
 * times slower than on warm memory; training steps allocate similar sizes again and again, so reusing blocks
 * keeps them warm (PyTorch's CUDA caching allocator, in miniature).
 *
 * <p>Blocks come in size classes (eight per power of two, so a block of its own class wastes at most an eighth),
 * and a request is served from its class or from a cached block up to twice its size. Live and cached blocks together stay within a
 * budget of 30% over the peak of live blocks: a release that would exceed it frees the block, and a miss frees
 * cached blocks, smallest first, before allocating. {@link #trim} frees every cached block. Everything is freed
 * explicitly, never by the garbage collector.
 *
 * <p>Taking and giving back a block allocates nothing on the Java heap (a step takes thousands): the cached
 * blocks of each class sit in a stack indexed by the class's number, not in boxed-key maps or linked nodes.
 *
 * <p>The pool is the backends' shared memory policy; what a block is comes from its {@link Allocator}: native
 * memory segments on the cpu backend, device pointers on a GPU (where fresh memory costs a synchronising
 * {@code cudaMalloc} rather than page faults).
 *
 * @param <B> the block type
 */
public final class BlockPool<B> {

    /** Where blocks come from and go back to. */
    public interface Allocator<B> {
        /** A new block of exactly {@code bytes}. */
        B allocate(long bytes);

        /** Returns a block to the system. */
        void free(B block);

        /** The block's size in bytes (as allocated). */
        long size(B block);
    }

    private static final long MIN_BUDGET = 64L << 20;
    /**
     * How many classes above its own a request may take a cached block from: eight, a block up to twice the size.
     * A training step's batches differ in length, so the same tensor asks for another class from one step to the
     * next; served only from its own class, the pool freed and allocated a few hundred megabytes per step, and
     * the page faults on the fresh memory took about 4% of the step.
     */
    private static final int SPARE = 8;
    /** Classes up to 2^63 bytes: eight of 4 KiB steps, then eight per power of two from 2^15. */
    private static final int CLASSES = 8 + 8 * (63 - 15);

    private final Allocator<B> allocator;
    /** Per class, the cached blocks (a stack: the most recently freed block is the warmest). */
    private final Object[][] stacks = new Object[CLASSES][];
    private final int[] counts = new int[CLASSES];
    private long cached;
    private long live;
    private long peak;

    public BlockPool(Allocator<B> allocator) {
        this.allocator = allocator;
    }

    /** The block size that holds {@code bytes}: multiples of 4 KiB up to 32 KiB, then eight classes per power of two. */
    public static long sizeClass(long bytes) {
        if (bytes <= 32 * 1024) {
            return Math.max(4096, (bytes + 4095) / 4096 * 4096);
        }
        long step = Long.highestOneBit(bytes - 1) / 8;
        return (bytes + step - 1) / step * step;
    }

    /** The number of a size class (a value of {@link #sizeClass}), from 0 upwards in size order. */
    public static int classIndex(long size) {
        if (size <= 32 * 1024) {
            return (int) (size / 4096) - 1;
        }
        int e = 63 - Long.numberOfLeadingZeros(size - 1); // 2^e < size <= 2^(e+1)
        long step = (1L << e) / 8;
        int j = (int) ((size - (1L << e)) / step); // 1..8
        return 8 + (e - 15) * 8 + (j - 1);
    }

    /** A block of at least {@code bytes}; its segment is exactly the class size. */
    public synchronized B take(long bytes) {
        long size = sizeClass(bytes);
        int cls = classIndex(size);
        for (int c = cls; c <= Math.min(CLASSES - 1, cls + SPARE); c++) {
            if (counts[c] > 0) {
                B block = pop(c);
                long blockSize = allocator.size(block);
                cached -= blockSize;
                addLive(blockSize);
                return block;
            }
        }
        evictFor(size);
        B block = allocator.allocate(size);
        addLive(size);
        return block;
    }

    public synchronized void give(B block) {
        long size = allocator.size(block);
        live -= size;
        if (cached + live + size > budget()) {
            allocator.free(block);
            return;
        }
        cached += size;
        push(classIndex(size), block);
    }

    private void addLive(long size) {
        live += size;
        peak = Math.max(peak, live);
    }

    private long budget() {
        return Math.max(MIN_BUDGET, peak / 10 * 13);
    }

    @SuppressWarnings("unchecked")
    private B pop(int cls) {
        Object[] stack = stacks[cls];
        B block = (B) stack[--counts[cls]];
        stack[counts[cls]] = null;
        return block;
    }

    private void push(int cls, B block) {
        Object[] stack = stacks[cls];
        if (stack == null) {
            stack = stacks[cls] = new Object[8];
        } else if (counts[cls] == stack.length) {
            stack = stacks[cls] = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[counts[cls]++] = block;
    }

    /**
     * Frees cached blocks, smallest classes first (coldest block of a class first), until {@code needed} more bytes
     * fit: a large block can serve a smaller request later, a small one cannot serve a larger.
     */
    private void evictFor(long needed) {
        for (int cls = 0; cls < CLASSES && cached > 0 && cached + live + needed > budget(); cls++) {
            while (counts[cls] > 0 && cached + live + needed > budget()) {
                Object[] stack = stacks[cls];
                @SuppressWarnings("unchecked")
                B victim = (B) stack[0];
                System.arraycopy(stack, 1, stack, 0, counts[cls] - 1);
                stack[--counts[cls]] = null;
                cached -= allocator.size(victim);
                allocator.free(victim);
            }
        }
    }

    /** Bytes held in cached blocks. */
    public synchronized long cachedBytes() {
        return cached;
    }

    /** Frees every cached block. */
    public synchronized void trim() {
        for (int cls = 0; cls < CLASSES; cls++) {
            while (counts[cls] > 0) {
                B b = pop(cls);
                cached -= allocator.size(b);
                allocator.free(b);
            }
        }
    }
}
