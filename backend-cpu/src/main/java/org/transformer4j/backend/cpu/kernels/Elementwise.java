package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.transformer4j.api.spi.DropoutMask;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
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
    public static void dropout(Parallel par, boolean simd, MemorySegment x, float p, long seed, MemorySegment out, int n) {
        float keepScale = 1f / (1f - p);
        // u >= p, with u = (z >>> 40) / 2^24, is (z >>> 40) >= ceil(p · 2^24): one integer comparison per lane.
        long threshold = (long) Math.ceil((double) p * (1 << 24));
        par.forRange(n, GRAIN, (i0, i1) -> {
            int i = i0;
            if (simd) {
                i = dropoutVectors(x, keepScale, seed, threshold, out, i0, i1);
            }
            for (; i < i1; i++) {
                Mem.set(out, i, DropoutMask.keep(seed, i, p) ? Mem.get(x, i) * keepScale : 0f);
            }
        });
    }

    private static final VectorSpecies<Long> DL = LongVector.SPECIES_PREFERRED;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * The SplitMix64 mask of {@link DropoutMask} on 64-bit lanes, two long vectors per float vector (the same
     * width, so no other vector shape is ever loaded: see {@link Simd}), for the elements from {@code i0} up to
     * the last whole float vector before {@code i1}; returns where it stopped.
     */
    private static int dropoutVectors(MemorySegment x, float keepScale, long seed, long threshold, MemorySegment out,
            int i0, int i1) {
        int half = DL.length();
        LongVector step = LongVector.broadcast(DL, half * GOLDEN);
        // z = seed + (i + 1)·golden for the lanes i0, i0 + 1, ...
        LongVector z0 = LongVector.zero(DL).addIndex(1).add(i0 + 1L).mul(GOLDEN).add(seed);
        FloatVector zero = FloatVector.zero(S);
        int i = i0;
        for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
            long bits = 0; // bit j: keep element i + j
            for (int h = 0; h < 2; h++) {
                LongVector z = z0;
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                bits |= z.lanewise(VectorOperators.LSHR, 40).compare(VectorOperators.GE, threshold).toLong() << (h * half);
                z0 = z0.add(step);
            }
            VectorMask<Float> keep = VectorMask.fromLong(S, bits);
            FloatVector v = FloatVector.fromMemorySegment(S, x, (long) i << 2, O).mul(keepScale);
            zero.blend(v, keep).intoMemorySegment(out, (long) i << 2, O);
        }
        return i;
    }
}
