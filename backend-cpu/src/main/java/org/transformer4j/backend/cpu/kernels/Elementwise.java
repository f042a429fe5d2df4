package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.transformer4j.api.spi.DropoutMask;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Elementwise ops over tensor memory, split over threads in large chunks, vectorised where it pays. */
public final class Elementwise {

    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final ByteOrder O = Simd.ORDER;
    private static final int GRAIN = Parallel.MIN_CHUNK_WORK;

    private Elementwise() {
    }

    /** out[i] = a[i] + b[i mod bn] (b repeated over a's leading axes). */
    public static void add(Parallel par, MemorySegment a, MemorySegment b, MemorySegment out, int n, int bn) {
        binary(par, a, b, out, n, bn, true);
    }

    /** out[i] = a[i] · b[i mod bn]. */
    public static void mul(Parallel par, MemorySegment a, MemorySegment b, MemorySegment out, int n, int bn) {
        binary(par, a, b, out, n, bn, false);
    }

    private static void binary(Parallel par, MemorySegment a, MemorySegment b, MemorySegment out, int n, int bn,
            boolean add) {
        par.forRange(n / bn, Math.max(1, GRAIN / bn), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * bn;
                int j = 0;
                for (int bound = S.loopBound(bn); j < bound; j += S.length()) {
                    FloatVector x = FloatVector.fromMemorySegment(S, a, (off + j) << 2, O);
                    FloatVector y = FloatVector.fromMemorySegment(S, b, (long) j << 2, O);
                    (add ? x.add(y) : x.mul(y)).intoMemorySegment(out, (off + j) << 2, O);
                }
                for (; j < bn; j++) {
                    float x = Mem.get(a, off + j);
                    float y = Mem.get(b, j);
                    Mem.set(out, off + j, add ? x + y : x * y);
                }
            }
        });
    }

    /** out[i] = alpha · x[i]. */
    public static void scale(Parallel par, MemorySegment x, float alpha, MemorySegment out, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
                FloatVector.fromMemorySegment(S, x, (long) i << 2, O).mul(alpha).intoMemorySegment(out, (long) i << 2, O);
            }
            for (; i < i1; i++) {
                Mem.set(out, i, alpha * Mem.get(x, i));
            }
        });
    }

    /** acc[i] += alpha · x[i mod xn] ({@code x} repeated over acc's leading axes when shorter). */
    public static void axpy(Parallel par, boolean simd, float alpha, MemorySegment x, int xn, MemorySegment acc, int n) {
        if (xn == n) {
            par.forRange(n, GRAIN, (i0, i1) -> Simd.axpy(simd, alpha, x, i0, acc, i0, i1 - i0));
            return;
        }
        par.forRange(n / xn, Math.max(1, GRAIN / xn), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                Simd.axpy(simd, alpha, x, 0, acc, (long) r * xn, xn);
            }
        });
    }

    /** out[i] = max(x[i], 0). */
    public static void relu(Parallel par, MemorySegment x, MemorySegment out, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
                FloatVector.fromMemorySegment(S, x, (long) i << 2, O).max(0f).intoMemorySegment(out, (long) i << 2, O);
            }
            for (; i < i1; i++) {
                Mem.set(out, i, Math.max(Mem.get(x, i), 0f));
            }
        });
    }

    /** dx[i] = y[i] > 0 ? dy[i] : 0. */
    public static void reluBackward(Parallel par, MemorySegment dy, MemorySegment y, MemorySegment dx, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            int i = i0;
            FloatVector zero = FloatVector.zero(S);
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
                FloatVector yi = FloatVector.fromMemorySegment(S, y, (long) i << 2, O);
                FloatVector dyi = FloatVector.fromMemorySegment(S, dy, (long) i << 2, O);
                zero.blend(dyi, yi.compare(VectorOperators.GT, 0f)).intoMemorySegment(dx, (long) i << 2, O);
            }
            for (; i < i1; i++) {
                Mem.set(dx, i, Mem.get(y, i) > 0 ? Mem.get(dy, i) : 0f);
            }
        });
    }

    /** out[i] = x[i] · keep(seed, i) / (1 − p), with the mask of {@link DropoutMask}. */
    public static void dropout(Parallel par, MemorySegment x, float p, long seed, MemorySegment out, int n) {
        float keepScale = 1f / (1f - p);
        par.forRange(n, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                Mem.set(out, i, DropoutMask.keep(seed, i, p) ? Mem.get(x, i) * keepScale : 0f);
            }
        });
    }
}
