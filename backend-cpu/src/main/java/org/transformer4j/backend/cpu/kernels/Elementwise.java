package org.transformer4j.backend.cpu.kernels;

import org.transformer4j.api.spi.DropoutMask;

/**
 * Elementwise ops over flat arrays, split over threads in large chunks. The loops are plain: C2
 * auto-vectorises each of them.
 */
public final class Elementwise {

    private static final int GRAIN = Parallel.MIN_CHUNK_WORK;

    private Elementwise() {
    }

    /** out[i] = a[i] + b[i mod b.length] (b repeated over a's leading axes). */
    public static void add(Parallel par, float[] a, float[] b, float[] out, int n, int bn) {
        par.forRange(n / bn, Math.max(1, GRAIN / bn), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * bn;
                for (int j = 0; j < bn; j++) {
                    out[off + j] = a[off + j] + b[j];
                }
            }
        });
    }

    /** out[i] = a[i] · b[i mod b.length]. */
    public static void mul(Parallel par, float[] a, float[] b, float[] out, int n, int bn) {
        par.forRange(n / bn, Math.max(1, GRAIN / bn), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * bn;
                for (int j = 0; j < bn; j++) {
                    out[off + j] = a[off + j] * b[j];
                }
            }
        });
    }

    /** out[i] = alpha · x[i]. */
    public static void scale(Parallel par, float[] x, float alpha, float[] out, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = alpha * x[i];
            }
        });
    }

    /** acc[i] += alpha · x[i mod xn] ({@code x} repeated over acc's leading axes when shorter). */
    public static void axpy(Parallel par, boolean simd, float alpha, float[] x, int xn, float[] acc, int n) {
        if (xn == n) {
            par.forRange(n, GRAIN, (i0, i1) -> Simd.axpy(simd, alpha, x, i0, acc, i0, i1 - i0));
            return;
        }
        par.forRange(n / xn, Math.max(1, GRAIN / xn), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                Simd.axpy(simd, alpha, x, 0, acc, r * xn, xn);
            }
        });
    }

    /** out[i] = max(x[i], 0). */
    public static void relu(Parallel par, float[] x, float[] out, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = Math.max(x[i], 0f);
            }
        });
    }

    /** dx[i] = y[i] > 0 ? dy[i] : 0. */
    public static void reluBackward(Parallel par, float[] dy, float[] y, float[] dx, int n) {
        par.forRange(n, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                dx[i] = y[i] > 0 ? dy[i] : 0f;
            }
        });
    }

    /** out[i] = x[i] · keep(seed, i) / (1 − p), with the mask of {@link DropoutMask}. */
    public static void dropout(Parallel par, float[] x, float p, long seed, float[] out, int n) {
        float keepScale = 1f / (1f - p);
        par.forRange(n, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = DropoutMask.keep(seed, i, p) ? x[i] * keepScale : 0f;
            }
        });
    }
}
