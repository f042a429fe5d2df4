package org.transformer4j.api;

/**
 * The memory a backend holds, in bytes.
 *
 * @param inUse  storage of live tensors (not yet closed)
 * @param peak   the largest {@code inUse} seen since the backend was created
 * @param cached storage of closed tensors kept for reuse by the backend's allocator (freed on close)
 */
public record MemoryStats(long inUse, long peak, long cached) {

    @Override
    public String toString() {
        return String.format("in use %,d B, peak %,d B, cached %,d B", inUse, peak, cached);
    }
}
