package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one home of the Vector API (llama3.java's idiom): the species, {@code loopBound} plus a scalar tail,
 * and for each helper a scalar twin used when SIMD is switched off ({@code simd=false} in the backend
 * options), which also serves as its readable definition. Offsets and lengths are in elements.
 *
 * <p>Row reductions are the reason this exists: C2 vectorises simple elementwise loops by itself, but not
 * float sums (their order matters) nor {@code exp}.
 */
public final class Simd {

    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    public static final int LANES = SPECIES.length();

    private Simd() {
    }

    /** Σ a[off .. off+len). */
    public static float sum(boolean simd, MemorySegment a, long off, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.add(Mem.load(SPECIES, a, off + i));
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += Mem.get(a, off + i);
        }
        return s;
    }

    /** max a[off .. off+len). */
    public static float max(boolean simd, MemorySegment a, long off, int len) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.max(Mem.load(SPECIES, a, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < len; i++) {
            m = Math.max(m, Mem.get(a, off + i));
        }
        return m;
    }

    /** Σ a[aOff + i] · b[bOff + i] over {@code len} elements. */
    public static float dot(boolean simd, MemorySegment a, long aOff, MemorySegment b, long bOff, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = Mem.load(SPECIES, a, aOff + i).fma(Mem.load(SPECIES, b, bOff + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += Mem.get(a, aOff + i) * Mem.get(b, bOff + i);
        }
        return s;
    }

    /** {@code out[i] = exp(x[i] - shift)} over {@code len} elements; returns Σ out[i]. */
    public static float expShifted(boolean simd, MemorySegment x, long xOff, float shift, MemorySegment out, long oOff,
            int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector e = Mem.load(SPECIES, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
                Mem.store(e, out, oOff + i);
                acc = acc.add(e);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            float e = (float) Math.exp(Mem.get(x, xOff + i) - shift);
            Mem.set(out, oOff + i, e);
            s += e;
        }
        return s;
    }

    /** In place: {@code a[i] *= s} over {@code len} elements. */
    public static void scale(boolean simd, MemorySegment a, long off, int len, float s) {
        int i = 0;
        if (simd) {
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                Mem.store(Mem.load(SPECIES, a, off + i).mul(s), a, off + i);
            }
        }
        for (; i < len; i++) {
            Mem.set(a, off + i, Mem.get(a, off + i) * s);
        }
    }

    /** {@code out[i] = a · x[i] + b} over {@code len} elements (in place when out is x). */
    public static void affine(boolean simd, MemorySegment x, long xOff, float a, float b, MemorySegment out, long oOff,
            int len) {
        int i = 0;
        if (simd) {
            FloatVector va = FloatVector.broadcast(SPECIES, a);
            FloatVector vb = FloatVector.broadcast(SPECIES, b);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                Mem.store(Mem.load(SPECIES, x, xOff + i).fma(va, vb), out, oOff + i);
            }
        }
        for (; i < len; i++) {
            Mem.set(out, oOff + i, a * Mem.get(x, xOff + i) + b);
        }
    }

    /** Σ (a[i] − c)² over {@code len} elements (the variance's numerator). */
    public static float sumSquaredDeviations(boolean simd, MemorySegment a, long off, int len, float c) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector d = Mem.load(SPECIES, a, off + i).sub(c);
                acc = d.fma(d, acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            float d = Mem.get(a, off + i) - c;
            s += d * d;
        }
        return s;
    }

    /** In place: {@code y[i] = y[i] · g[i] + b[i]} over {@code len} elements ({@code g}, {@code b} from index 0). */
    public static void fmaRow(boolean simd, MemorySegment y, long yOff, MemorySegment g, MemorySegment b, int len) {
        int i = 0;
        if (simd) {
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                Mem.store(Mem.load(SPECIES, y, yOff + i).fma(Mem.load(SPECIES, g, i), Mem.load(SPECIES, b, i)), y, yOff + i);
            }
        }
        for (; i < len; i++) {
            Mem.set(y, yOff + i, Mem.get(y, yOff + i) * Mem.get(g, i) + Mem.get(b, i));
        }
    }

    /** In place: {@code y[i] *= s · x[i]} over {@code len} elements. */
    public static void multiply(boolean simd, MemorySegment y, long yOff, MemorySegment x, long xOff, float s, int len) {
        int i = 0;
        if (simd) {
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                Mem.store(Mem.load(SPECIES, y, yOff + i).mul(Mem.load(SPECIES, x, xOff + i)).mul(s), y, yOff + i);
            }
        }
        for (; i < len; i++) {
            Mem.set(y, yOff + i, Mem.get(y, yOff + i) * Mem.get(x, xOff + i) * s);
        }
    }

    /** In place: {@code y[i] += alpha · x[i]} over {@code len} elements. */
    public static void axpy(boolean simd, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff, int len) {
        int i = 0;
        if (simd) {
            FloatVector va = FloatVector.broadcast(SPECIES, alpha);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                Mem.store(Mem.load(SPECIES, x, xOff + i).fma(va, Mem.load(SPECIES, y, yOff + i)), y, yOff + i);
            }
        }
        for (; i < len; i++) {
            Mem.set(y, yOff + i, Mem.get(y, yOff + i) + alpha * Mem.get(x, xOff + i));
        }
    }
}
