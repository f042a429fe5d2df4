package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element access to tensor memory: float32 {@link MemorySegment}s, indexed in elements. Kept in one place so
 * the kernels read like array code.
 */
public final class Mem {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private Mem() {
    }

    public static float get(MemorySegment s, long i) {
        return s.getAtIndex(F, i);
    }

    public static void set(MemorySegment s, long i, float v) {
        s.setAtIndex(F, i, v);
    }

    public static FloatVector load(VectorSpecies<Float> species, MemorySegment s, long i) {
        return FloatVector.fromMemorySegment(species, s, i << 2, ORDER);
    }

    public static void store(FloatVector v, MemorySegment s, long i) {
        v.intoMemorySegment(s, i << 2, ORDER);
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
