package org.transformer4j.backend.cpu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed tensors' arrays, kept for the next tensors of a similar size: a training step allocates the same
 * sizes every time, so after the first steps nothing is allocated and the garbage collector has nothing to
 * do (PyTorch's caching allocator, in miniature; without it, copying multi-megabyte arrays between heap
 * generations cost seconds per step).
 *
 * <p>Arrays come in size classes (eight per power of two above 4096 floats, multiples of 256 below), and a
 * request is served from its class or a slightly larger one, so batches of varying sequence lengths share
 * arrays; an array may be up to half as long again as its tensor, and kernels always use the tensor's element
 * count, never the array's length. Arrays beyond the limit are
 * dropped; {@link #clear} drops all. Arrays come back dirty: every op writes its whole output.
 */
final class FloatArrayPool {

    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<float[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();
    private final java.util.function.LongSupplier maxCachedBytes;

    /** @param maxCachedBytes the current limit of the cache, asked at every release */
    FloatArrayPool(java.util.function.LongSupplier maxCachedBytes) {
        this.maxCachedBytes = maxCachedBytes;
    }

    /** The array length that holds {@code n} floats: the size class of {@code n}. */
    static int sizeClass(int n) {
        if (n <= 4096) {
            return (n + 255) / 256 * 256;
        }
        int step = Integer.highestOneBit(n - 1) / 8;
        long size = ((long) n + step - 1) / step * step;
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    /**
     * An array of at least {@code n} floats: a cached one of {@code n}'s size class or of a class up to half as
     * large again (batches of other sequence lengths then reuse each other's arrays), else a new one.
     */
    float[] take(int n) {
        int length = sizeClass(n);
        float[] a = null;
        for (int c = length; a == null && c <= length + length / 2; c = sizeClass(c + 1)) {
            ConcurrentLinkedDeque<float[]> arrays = free.get(c);
            a = arrays == null ? null : arrays.pollFirst();
        }
        if (a == null) {
            try {
                return new float[length];
            } catch (OutOfMemoryError e) {
                // The cache may be what fills the heap: drop it and let the collector have it, then try once more.
                clear();
                return new float[length];
            }
        }
        cachedBytes.addAndGet(-bytes(a));
        return a;
    }

    void give(float[] a) {
        long b = bytes(a);
        if (cachedBytes.addAndGet(b) > maxCachedBytes.getAsLong()) {
            cachedBytes.addAndGet(-b);
            return;
        }
        free.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).addFirst(a);
    }

    long cachedBytes() {
        return cachedBytes.get();
    }

    void clear() {
        free.clear();
        cachedBytes.set(0);
    }

    private static long bytes(float[] a) {
        return (long) a.length * Float.BYTES;
    }
}
