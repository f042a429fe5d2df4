package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element access to tensor memory: float32 {@link MemorySegment}s, indexed in elements. Kept in one place so
 * the kernels read like array code. Vector loads and stores are not here: they are written where the vector lives
 * (see {@link Simd} for why a vector never crosses a method boundary).
 */
public final class Mem {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private Mem() {
    }

    public static float get(MemorySegment s, long i) {
        return s.getAtIndex(F, i);
    }

    public static void set(MemorySegment s, long i, float v) {
        s.setAtIndex(F, i, v);
    }

    /** Copies {@code n} elements from {@code src[srcIndex]} to {@code dst[dstIndex]}. */
    public static void copy(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex, long n) {
        MemorySegment.copy(src, srcIndex << 2, dst, dstIndex << 2, n << 2);
    }

    /** Sets {@code n} elements from {@code index} to {@code value}. */
    public static void fill(MemorySegment s, long index, long n, float value) {
        if (value == 0f) {
            s.asSlice(index << 2, n << 2).fill((byte) 0);
        } else {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(F, index + i, value);
            }
        }
    }
}
