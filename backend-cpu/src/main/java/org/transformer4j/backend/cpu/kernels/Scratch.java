package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread scratch rows for kernels that need a temporary row; never escapes the calling kernel. It is
 * kernel workspace, not tensor memory: an automatic arena frees it with its thread.
 */
final class Scratch {

    private static final ThreadLocal<MemorySegment> ROW = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(4096 * 4L, 64));

    private static final ThreadLocal<MemorySegment> TILE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(64 * 64 * 4L, 64));

    private static final ThreadLocal<MemorySegment[]> PARTIALS = ThreadLocal.withInitial(() -> new MemorySegment[0]);

    private Scratch() {
    }

    /** A second thread-local segment of 4096 floats, for a kernel's output tile. */
    static MemorySegment tile() {
        return TILE.get();
    }

    /**
     * {@code count} segments of at least {@code floats} floats each, belonging to the calling thread: for a kernel
     * whose workers write partial results that the caller adds up after the job.
     */
    static MemorySegment[] partials(int count, long floats) {
        MemorySegment[] held = PARTIALS.get();
        if (held.length < count) {
            held = java.util.Arrays.copyOf(held, count);
            PARTIALS.set(held);
        }
        for (int i = 0; i < count; i++) {
            if (held[i] == null || held[i].byteSize() < floats * 4) {
                held[i] = Arena.ofAuto().allocate(floats * 4, 64);
            }
        }
        return count == held.length ? held : java.util.Arrays.copyOf(held, count);
    }

    /** A thread-local segment of at least {@code n} floats, with arbitrary contents. */
    static MemorySegment floats(int n) {
        MemorySegment s = ROW.get();
        if (s.byteSize() < n * 4L) {
            s = Arena.ofAuto().allocate(Math.max(n * 4L, s.byteSize() * 2), 64);
            ROW.set(s);
        }
        return s;
    }
}
