package org.transformer4j.backend.cpu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed tensors' arrays, kept by exact length for the next tensor of that size: a training step allocates
 * the same shapes every time, so after the first step almost nothing is allocated (PyTorch's caching
 * allocator, in miniature). Arrays beyond {@code maxCachedBytes} are dropped; {@link #clear} drops all.
 * Arrays come back dirty: every op writes its whole output.
 */
final class FloatArrayPool {

    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<float[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();
    private final long maxCachedBytes;

    FloatArrayPool(long maxCachedBytes) {
        this.maxCachedBytes = maxCachedBytes;
    }

    float[] take(int length) {
        ConcurrentLinkedDeque<float[]> arrays = free.get(length);
        float[] a = arrays == null ? null : arrays.pollFirst();
        if (a == null) {
            return new float[length];
        }
        cachedBytes.addAndGet(-bytes(a));
        return a;
    }

    void give(float[] a) {
        long b = bytes(a);
        if (cachedBytes.addAndGet(b) > maxCachedBytes) {
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
