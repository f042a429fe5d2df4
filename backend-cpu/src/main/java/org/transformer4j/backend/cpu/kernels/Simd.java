package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row helpers of the Vector API kernels (llama3.java's idiom): the species, {@code loopBound} plus a scalar
 * tail, and for each helper a scalar twin used when SIMD is switched off ({@code simd=false} in the backend
 * options), which also serves as its readable definition. Offsets and lengths are in elements.
 *
 * <p>Row reductions are the reason this exists: C2 vectorises simple elementwise loops by itself, but not
 * float sums (their order matters) nor {@code exp}.
 *
 * <p><b>The one rule of every kernel here: a vector never crosses a method boundary.</b> Vectors are created,
 * used and consumed inside one method; helpers take and return only segments, arrays and scalars. The Vector
 * API keeps a vector in a register only where C2 inlines every method it flows through. The JDK's own vector
 * methods are force-inlined, but ours are not: whether C2 inlines one of ours depends on what it compiled
 * before (a callee already compiled on its own, for example after a deoptimisation, is "already compiled into
 * a big method" and stays a call). Where such a call carries a vector, the vector is boxed into a heap object
 * at every call. That is what made about half of all processes train 4-5x slower, allocating gigabytes per step
 * (issue 10).
 *
 * <p><b>And every vector has one shape, the preferred one</b> ({@link #SPECIES}; integers and longs of the same
 * width). Kernels that added a 128-bit float vector (to move four floats) or 256-bit floats beside 512-bit longs
 * (a mask per float) made some processes box unrelated kernels' accumulators again: with one shape, the JIT can
 * count on every vector value's class. {@code VectorsStayInsideMethodsTest} checks both rules on the compiled
 * classes; {@code HeapAllocationPerStepTest} checks the result in eight fresh processes.
 */
public final class Simd {

    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    public static final int LANES = SPECIES.length();
    /** Tensor memory holds floats in the machine's byte order. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Where a row reduction spills its accumulator to add the lanes in order; one per thread, never shared. */
    private static final ThreadLocal<float[]> LANES_BUFFER = ThreadLocal.withInitial(() -> new float[LANES]);

    private Simd() {
    }

    /*
     * Why no reduceLanes(ADD) and no lanewise(EXP) here: the Vector API leaves both free to differ between the
     * interpreter's Java fallback and the JIT's intrinsics (the sum's order; exp's last bit, from a vector math
     * library), so the same op on the same data would give other bits before and after warm-up, and training
     * would not repeat across runs. The replacements below use only correctly rounded lane operations (add,
     * mul, fma, conversions), which every tier computes alike. A sum's lanes are added in lane order from the
     * per-thread buffer its accumulator was stored to.
     */

    /** A per-thread buffer of {@link #LANES} floats, for storing an accumulator whose lanes are then summed. */
    static float[] lanesBuffer() {
        return LANES_BUFFER.get();
    }

    /** The sum of {@code lanes} in index order: the horizontal sum of a stored accumulator. */
    static float sumInOrder(float[] lanes) {
        float s = 0;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    private static final float EXP_HI = 88.3762626647949f;
    private static final float EXP_LO = -87.3365447505531f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    /** Σ a[off .. off+len). */
    public static float sum(boolean simd, MemorySegment a, long off, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.add(FloatVector.fromMemorySegment(SPECIES, a, (off + i) << 2, ORDER));
            }
            float[] lanes = lanesBuffer();
            acc.intoArray(lanes, 0);
            s = sumInOrder(lanes);
        }
        for (; i < len; i++) {
            s += Mem.get(a, off + i);
        }
        return s;
    }

    /** max a[off .. off+len). The maximum does not depend on the order, so lanes reduce in any order. */
    public static float max(boolean simd, MemorySegment a, long off, int len) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.max(FloatVector.fromMemorySegment(SPECIES, a, (off + i) << 2, ORDER));
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
                FloatVector x = FloatVector.fromMemorySegment(SPECIES, a, (aOff + i) << 2, ORDER);
                acc = x.fma(FloatVector.fromMemorySegment(SPECIES, b, (bOff + i) << 2, ORDER), acc);
            }
            float[] lanes = lanesBuffer();
            acc.intoArray(lanes, 0);
            s = sumInOrder(lanes);
        }
        for (; i < len; i++) {
            s += Mem.get(a, aOff + i) * Mem.get(b, bOff + i);
        }
        return s;
    }

    /**
     * {@code out[i] = exp(x[i] - shift)} over {@code len} elements; returns Σ out[i].
     *
     * <p>The exponential is Cephes' {@code expf}, within 2 ulp: {@code x = n·ln 2 + r}, {@code |r| <= ln 2 / 2},
     * a degree-6 polynomial for e^r, and 2^n built in the exponent bits. Below −87.34 (e^x is no longer a normal
     * float), and for −∞, the result is 0: a masked softmax position gets exactly zero weight. It is written out
     * in the loop rather than as a helper, by the rule above.
     */
    public static float expShifted(boolean simd, MemorySegment x, long xOff, float shift, MemorySegment out, long oOff,
            int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, x, (xOff + i) << 2, ORDER).sub(shift);
                VectorMask<Float> underflow = v.compare(VectorOperators.LT, EXP_LO);
                FloatVector c = v.min(EXP_HI).max(EXP_LO);
                // n = floor(c · log2 e + 0.5), by truncation corrected for negative values
                FloatVector fx = c.fma(FloatVector.broadcast(SPECIES, LOG2E), FloatVector.broadcast(SPECIES, 0.5f));
                FloatVector n = ((IntVector) fx.convert(VectorOperators.F2I, 0)).convert(VectorOperators.I2F, 0)
                        .reinterpretAsFloats();
                n = n.sub(FloatVector.broadcast(SPECIES, 1f), n.compare(VectorOperators.GT, fx));
                FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
                FloatVector z = r.mul(r);
                FloatVector p = FloatVector.broadcast(SPECIES, P0)
                        .fma(r, FloatVector.broadcast(SPECIES, P1))
                        .fma(r, FloatVector.broadcast(SPECIES, P2))
                        .fma(r, FloatVector.broadcast(SPECIES, P3))
                        .fma(r, FloatVector.broadcast(SPECIES, P4))
                        .fma(r, FloatVector.broadcast(SPECIES, P5));
                FloatVector y = p.fma(z, r).add(1f);
                IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127)
                        .lanewise(VectorOperators.LSHL, 23);
                FloatVector e = y.mul(bits.reinterpretAsFloats()).blend(0f, underflow);
                e.intoMemorySegment(out, (oOff + i) << 2, ORDER);
                acc = acc.add(e);
            }
            float[] lanes = lanesBuffer();
            acc.intoArray(lanes, 0);
            s = sumInOrder(lanes);
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
                long at = (off + i) << 2;
                FloatVector.fromMemorySegment(SPECIES, a, at, ORDER).mul(s).intoMemorySegment(a, at, ORDER);
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
                FloatVector.fromMemorySegment(SPECIES, x, (xOff + i) << 2, ORDER).fma(va, vb)
                        .intoMemorySegment(out, (oOff + i) << 2, ORDER);
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
                FloatVector d = FloatVector.fromMemorySegment(SPECIES, a, (off + i) << 2, ORDER).sub(c);
                acc = d.fma(d, acc);
            }
            float[] lanes = lanesBuffer();
            acc.intoArray(lanes, 0);
            s = sumInOrder(lanes);
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
                long at = (yOff + i) << 2;
                FloatVector gi = FloatVector.fromMemorySegment(SPECIES, g, (long) i << 2, ORDER);
                FloatVector bi = FloatVector.fromMemorySegment(SPECIES, b, (long) i << 2, ORDER);
                FloatVector.fromMemorySegment(SPECIES, y, at, ORDER).fma(gi, bi).intoMemorySegment(y, at, ORDER);
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
                long at = (yOff + i) << 2;
                FloatVector xi = FloatVector.fromMemorySegment(SPECIES, x, (xOff + i) << 2, ORDER);
                FloatVector.fromMemorySegment(SPECIES, y, at, ORDER).mul(xi).mul(s).intoMemorySegment(y, at, ORDER);
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
                long at = (yOff + i) << 2;
                FloatVector xi = FloatVector.fromMemorySegment(SPECIES, x, (xOff + i) << 2, ORDER);
                xi.fma(va, FloatVector.fromMemorySegment(SPECIES, y, at, ORDER)).intoMemorySegment(y, at, ORDER);
            }
        }
        for (; i < len; i++) {
            Mem.set(y, yOff + i, Mem.get(y, yOff + i) + alpha * Mem.get(x, xOff + i));
        }
    }
}
