package org.transformer4j.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one home of the Vector API (llama3.java's idiom): the species, {@code loopBound} plus a scalar tail,
 * and for each helper a scalar twin used when SIMD is switched off ({@code simd=false} in the backend
 * options), which also serves as its readable definition.
 *
 * <p>Row reductions are the reason this exists: C2 auto-vectorises {@code a[i] + b[i]} loops by itself, but
 * not float sums (their order matters) nor {@code exp}.
 */
public final class Simd {

    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    public static final int LANES = SPECIES.length();

    private Simd() {
    }

    /** Σ a[off .. off+len). */
    public static float sum(boolean simd, float[] a, int off, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.add(FloatVector.fromArray(SPECIES, a, off + i));
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** max a[off .. off+len). */
    public static float max(boolean simd, float[] a, int off, int len) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = acc.max(FloatVector.fromArray(SPECIES, a, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < len; i++) {
            m = Math.max(m, a[off + i]);
        }
        return m;
    }

    /** Σ a[aOff + i] · b[bOff + i] over {@code len} elements. */
    public static float dot(boolean simd, float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** {@code out[i] = exp(x[i] - shift)} over {@code len} elements; returns Σ out[i]. */
    public static float expShifted(boolean simd, float[] x, int xOff, float shift, float[] out, int oOff, int len) {
        float s = 0;
        int i = 0;
        if (simd) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector e = FloatVector.fromArray(SPECIES, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
                e.intoArray(out, oOff + i);
                acc = acc.add(e);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            out[oOff + i] = e;
            s += e;
        }
        return s;
    }

    /** In place: {@code a[i] *= s} over {@code len} elements. */
    public static void scale(boolean simd, float[] a, int off, int len, float s) {
        int i = 0;
        if (simd) {
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, a, off + i).mul(s).intoArray(a, off + i);
            }
        }
        for (; i < len; i++) {
            a[off + i] *= s;
        }
    }

    /** In place: {@code y[i] += alpha · x[i]} over {@code len} elements. */
    public static void axpy(boolean simd, float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        if (simd) {
            FloatVector va = FloatVector.broadcast(SPECIES, alpha);
            for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, x, xOff + i).fma(va, FloatVector.fromArray(SPECIES, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < len; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
