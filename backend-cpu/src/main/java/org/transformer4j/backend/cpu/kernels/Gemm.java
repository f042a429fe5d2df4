package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product {@code C = op(A) · op(B)} on row-major arrays.
 *
 * <p>The SIMD path is a blocked kernel in the style of GotoBLAS: B is packed in panels of {@link #NR}
 * columns (shared by all threads), A in panels of {@link #MR} rows (per thread), and a register-tiled
 * micro-kernel computes a 4×16 block of C (on AVX2) with eight vector accumulators. The tile size comes from
 * measurements on our machines (../shared/notes/perf.md): 4×16 keeps every accumulator in a register;
 * 6×16 spills one and runs at half speed. Work is split over blocks of rows, and over column panels when
 * there are too few row blocks to feed every thread.
 *
 * <p>Very short products (one to four rows of A, as in incremental decoding) skip packing: each element is
 * a dot product or a sum of scaled rows. The scalar path ({@code simd == false}) is the same arithmetic
 * written as plain loops, kept as the readable definition and for machines without the Vector API.
 */
public final class Gemm {

    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    private static final ByteOrder O = Simd.ORDER;

    /** Rows of the micro-tile. */
    static final int MR = 4;
    /** Columns of the micro-tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a packed block: a 4×256 A panel and a 256×16 B panel stay in L1/L2. */
    static final int KC = 256;
    /** Rows of A packed per work item (a multiple of MR). */
    static final int MC = 64;
    /** Columns of B packed at once (a multiple of NR): 256×2048 floats, 2 MiB, shared through L3. */
    static final int NC = 2048;
    /** Up to this many rows, no packing (matrix-vector products). */
    private static final int SMALL_M = 4;
    /** Products of fewer multiply-adds than this run on the calling thread. */
    public static final long SMALL_WORK = 1L << 20;

    /**
     * Floats between the starts of two packed A panels: a panel's {@code MR · KC}, plus a cache line, so that the
     * panels do not start 4 KiB apart (addresses 4 KiB apart share cache sets, and packing writes to all panels
     * in turn).
     */
    private static final int A_PANEL = MR * KC + 16;
    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC / MR * A_PANEL]);
    private static final ThreadLocal<float[]> B_PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[Math.max(KC, MC)]);
    /** Where {@link #fewRowsDots} spills its four accumulators to add their lanes in order. */
    private static final ThreadLocal<float[]> DOT_LANES = ThreadLocal.withInitial(() -> new float[4 * L]);
    private static final java.lang.foreign.ValueLayout.OfFloat F = java.lang.foreign.ValueLayout.JAVA_FLOAT;

    private Gemm() {
    }

    /**
     * {@code c[cOff + i·n + j] = Σ_p A(i, p) · B(p, j)} for {@code i < m}, {@code j < n}, {@code p < k}, where
     * {@code A(i, p) = transA ? a[aOff + p·m + i] : a[aOff + i·k + p]} and
     * {@code B(p, j) = transB ? b[bOff + j·k + p] : b[bOff + p·n + j]}. C is overwritten.
     */
    public static void multiply(Parallel par, boolean simd, int m, int n, int k,
            MemorySegment a, long aOff, boolean transA, MemorySegment b, long bOff, boolean transB, MemorySegment c,
            long cOff) {
        if ((long) m * n * k < SMALL_WORK) {
            par = Parallel.SEQUENTIAL; // too little work to be worth waking other threads
        }
        if (!simd) {
            scalar(par, m, n, k, a, aOff, transA, b, bOff, transB, c, cOff);
        } else if (m <= SMALL_M && !transA) {
            fewRows(par, m, n, k, a, aOff, b, bOff, transB, c, cOff);
        } else if (transB && !transA && m <= SWAP_MAX_M && n >= 4L * m) {
            swapped(par, m, n, k, a, aOff, b, bOff, c, cOff);
        } else if (splitsDepth(par, m, n, k, transA, transB)) {
            splitDepth(par, m, n, k, a, aOff, b, bOff, c, cOff);
        } else {
            blocked(par, m, n, k, a, aOff, transA, b, bOff, transB, c, cOff);
        }
    }

    // ------------------------------------------------------------------ few rows times a transposed matrix

    /** Rows of A up to which A·Bᵀ is computed as (B·Aᵀ)ᵀ. */
    private static final int SWAP_MAX_M = 64;

    /**
     * C = A·Bᵀ for a short A (decoding: a few dozen rows times every weight matrix, and the output projection over the
     * vocabulary). Packing Bᵀ would transpose all of B at every call, costing more than the product itself; instead
     * compute Cᵀ = B·Aᵀ, where B's stored rows are the rows of the left operand (packed by plain copies) and only the
     * short A is transposed, then transpose Cᵀ into C. Each element is the same sum in the same order as the direct
     * product's, so the result is bit for bit the same.
     */
    private static void swapped(Parallel par, int m, int n, int k, MemorySegment a, long aOff, MemorySegment b,
            long bOff, MemorySegment c, long cOff) {
        MemorySegment ct = Scratch.partials(1, (long) n * m)[0];
        blocked(par, n, m, k, b, bOff, false, a, aOff, true, ct, 0);
        // C[i, j] = Cᵀ[j, i], in blocks of columns of C so that both sides stay in cache.
        int block = 64;
        par.forRange((n + block - 1) / block, Math.max(1, Parallel.MIN_CHUNK_WORK / (block * m)), (b0, b1) -> {
            for (int jb = b0; jb < b1; jb++) {
                int j0 = jb * block;
                int j1 = Math.min(n, j0 + block);
                for (int i = 0; i < m; i++) {
                    long row = cOff + (long) i * n;
                    for (int j = j0; j < j1; j++) {
                        Mem.set(c, row + j, Mem.get(ct, (long) j * m + i));
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ depth split: weight gradients

    /** C of at most this many elements may be split along K (each extra thread keeps a private copy). */
    private static final long SPLIT_MAX_C = 1L << 20;

    /**
     * Whether to split the depth K across threads: for products with a small C and a deep K, which is every
     * weight gradient {@code dW = dYᵀ·X} (out × in, summed over the thousands of tokens of a batch). Split by rows,
     * such a C gives the threads a few items per block of K and a barrier after each block; split by depth, each
     * thread runs its own part of K without a barrier, and the parts are added at the end. Only for Aᵀ·B, whose
     * parts are plain offsets into both operands.
     */
    private static boolean splitsDepth(Parallel par, int m, int n, int k, boolean transA, boolean transB) {
        return par.threads() > 1 && transA && !transB && (long) m * n <= SPLIT_MAX_C
                && k >= 4L * KC * par.threads();
    }

    /**
     * C = Aᵀ·B with K split into one contiguous run of whole KC blocks per thread: part 0 goes to C, the others to
     * the caller's scratch, then C += part 1 + part 2 + ... in that order (deterministic for a thread count).
     */
    private static void splitDepth(Parallel par, int m, int n, int k, MemorySegment a, long aOff, MemorySegment b,
            long bOff, MemorySegment c, long cOff) {
        int parts = par.threads();
        int blocks = (k + KC - 1) / KC;
        long size = (long) m * n;
        MemorySegment[] partials = Scratch.partials(parts - 1, size);
        par.forRange(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int k0 = (int) ((long) p * blocks / parts) * KC;
                int k1 = (int) Math.min(k, (long) (p + 1) * blocks / parts * KC);
                MemorySegment dst = p == 0 ? c : partials[p - 1];
                long dstOff = p == 0 ? cOff : 0;
                blocked(Parallel.SEQUENTIAL, m, n, k1 - k0, a, aOff + (long) k0 * m, true, b, bOff + (long) k0 * n,
                        false, dst, dstOff);
            }
        });
        par.forRange((int) size, Parallel.MIN_CHUNK_WORK, (i0, i1) -> {
            for (MemorySegment partial : partials) {
                Simd.axpy(true, 1f, partial, i0, c, cOff + i0, i1 - i0);
            }
        });
    }

    // ------------------------------------------------------------------ blocked SIMD path

    private static void blocked(Parallel par, int m, int n, int k,
            MemorySegment a, long aOff, boolean transA, MemorySegment b, long bOff, boolean transB, MemorySegment c,
            long cOff) {
        float[] bPack = B_PACK.get();
        int mBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int nPanels = (nc + NR - 1) / NR;
            // Enough work items for every thread: split the columns too when rows are few.
            int nGroups = Math.max(1, Math.min(nPanels, (2 * par.threads() + mBlocks - 1) / mBlocks));
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int jcF = jc;
                int pcF = pc;
                boolean accumulate = pc > 0;
                int items = mBlocks * nGroups;
                if (par.threads() == 1) {
                    // On the caller, without lambdas: attention's many small products come this way.
                    packB(b, bOff, transB, n, k, pcF, kc, jcF, nc, 0, nPanels, bPack);
                    multiplyItems(0, items, nGroups, nPanels, m, n, k, a, aOff, transA, bPack, c, cOff, pcF, kc, jcF,
                            nc, accumulate);
                } else {
                    par.forRange(nPanels, 8, (p0, p1) -> packB(b, bOff, transB, n, k, pcF, kc, jcF, nc, p0, p1, bPack));
                    par.forRange(items, 1, (lo, hi) -> multiplyItems(lo, hi, nGroups, nPanels, m, n, k, a, aOff, transA,
                            bPack, c, cOff, pcF, kc, jcF, nc, accumulate));
                }
            }
        }
    }

    /**
     * Work items {@code [lo, hi)} of one packed block of B: item = (block of MC rows of A, group of B panels).
     * Packs the rows of A, then runs the micro-kernel over every tile of the item.
     */
    private static void multiplyItems(int lo, int hi, int nGroups, int nPanels, int m, int n, int k, MemorySegment a,
            long aOff, boolean transA, float[] bPack, MemorySegment c, long cOff, int pc, int kc, int jc, int nc,
            boolean accumulate) {
        float[] aPack = A_PACK.get();
        for (int item = lo; item < hi; item++) {
            int mb = item / nGroups;
            int g = item % nGroups;
            int i0 = mb * MC;
            int mc = Math.min(MC, m - i0);
            int firstPanel = (int) ((long) g * nPanels / nGroups);
            int endPanel = (int) ((long) (g + 1) * nPanels / nGroups);
            packA(a, aOff, transA, m, k, i0, mc, pc, kc, aPack);
            // The packed panel's layout (see packA): element (r, kk) at aK·kk + aR·r.
            int aK = transA ? MR : 1;
            int aR = transA ? 1 : kc;
            for (int p = firstPanel; p < endPanel; p++) {
                int j0 = jc + p * NR;
                int nr = Math.min(NR, jc + nc - j0);
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    int aAt = (ir / MR) * A_PANEL;
                    long cAt = cOff + (long) (i0 + ir) * n + j0;
                    if (mr == MR && nr == NR) {
                        microKernel(kc, aPack, aAt, aK, aR, bPack, p * kc * NR, c, cAt, n, accumulate);
                    } else {
                        edgeTile(kc, aPack, aAt, aK, aR, bPack, p * kc * NR, c, cAt, n, accumulate, mr, nr);
                    }
                }
            }
        }
    }

    /** Packs B(pc..pc+kc, jc..jc+nc) panels [p0, p1) as kc × NR blocks, zero-padded on the right. */
    private static void packB(MemorySegment b, long bOff, boolean transB, int n, int k, int pc, int kc, int jc, int nc,
            int p0, int p1, float[] bp) {
        float[] row = transB ? ROW.get() : null; // looked up once: attention packs many small panels
        for (int p = p0; p < p1; p++) {
            int j0 = jc + p * NR;
            int nr = Math.min(NR, jc + nc - j0);
            int base = p * kc * NR;
            if (!transB && nr == NR) {
                // A panel row is two vectors of a stored row of B: moved as vectors, not element by element.
                for (int kk = 0; kk < kc; kk++) {
                    long src = (bOff + (long) (pc + kk) * n + j0) << 2;
                    int dst = base + kk * NR;
                    FloatVector.fromMemorySegment(S, b, src, O).intoArray(bp, dst);
                    FloatVector.fromMemorySegment(S, b, src + ((long) L << 2), O).intoArray(bp, dst + L);
                }
            } else if (!transB) {
                for (int kk = 0; kk < kc; kk++) {
                    int dst = base + kk * NR;
                    MemorySegment.copy(b, F, (bOff + (long) (pc + kk) * n + j0) << 2, bp, dst, nr);
                    Arrays.fill(bp, dst + nr, dst + NR, 0f);
                }
            } else {
                // B(p, j) = b[j·k + p]: each panel column is a contiguous run of the stored rows.
                for (int jj = 0; jj < nr; jj++) {
                    MemorySegment.copy(b, F, (bOff + (long) (j0 + jj) * k + pc) << 2, row, 0, kc);
                    for (int kk = 0; kk < kc; kk++) {
                        bp[base + kk * NR + jj] = row[kk];
                    }
                }
                for (int jj = nr; jj < NR; jj++) {
                    for (int kk = 0; kk < kc; kk++) {
                        bp[base + kk * NR + jj] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs A(i0..i0+mc, pc..pc+kc) as panels of MR rows × kc, zero-padded below, in whichever layout copies in
     * long runs: row by row ({@code (r, kk)} at {@code r·kc + kk}) when A's rows are stored rows, step by step
     * ({@code (r, kk)} at {@code kk·MR + r}) when A is stored transposed. The micro-kernel reads either.
     */
    private static void packA(MemorySegment a, long aOff, boolean transA, int m, int k, int i0, int mc, int pc, int kc,
            float[] ap) {
        if (transA) {
            // A(i, p) = a[p·m + i]: stored row p holds, for every panel, its MR values of step p, side by side.
            float[] row = ROW.get();
            int full = mc / MR;
            for (int kk = 0; kk < kc; kk++) {
                MemorySegment.copy(a, F, (aOff + (long) (pc + kk) * m + i0) << 2, row, 0, mc);
                for (int q = 0; q < full; q++) {
                    int src = q * MR;
                    int dst = q * A_PANEL + kk * MR;
                    ap[dst] = row[src];
                    ap[dst + 1] = row[src + 1];
                    ap[dst + 2] = row[src + 2];
                    ap[dst + 3] = row[src + 3];
                }
                if (full * MR < mc) {
                    int dst = full * A_PANEL + kk * MR;
                    for (int r = 0; r < MR; r++) {
                        int i = full * MR + r;
                        ap[dst + r] = i < mc ? row[i] : 0f;
                    }
                }
            }
            return;
        }
        // A(i, p) = a[i·k + p]: each panel row is a contiguous run of a stored row.
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = (ir / MR) * A_PANEL;
            for (int r = 0; r < mr; r++) {
                MemorySegment.copy(a, F, (aOff + (long) (i0 + ir + r) * k + pc) << 2, ap, base + r * kc, kc);
            }
            if (mr < MR) {
                Arrays.fill(ap, base + mr * kc, base + MR * kc, 0f);
            }
        }
    }

    /**
     * A tile at the right or bottom edge of C, {@code mr × nr} of the full {@link #MR} × {@link #NR}: the
     * micro-kernel runs on a whole tile in scratch memory, and the part that exists is copied. The micro-kernel
     * stays one straight path (a branch for edges made it big enough that C1 gave up on it, and every return to
     * the interpreter then ran the Vector API's allocating fallback).
     */
    private static void edgeTile(int kc, float[] ap, int aIdx, int aK, int aR, float[] bp, int bIdx, MemorySegment c,
            long cIdx, int ldc, boolean accumulate, int mr, int nr) {
        MemorySegment tile = Scratch.tile();
        for (int r = 0; r < mr; r++) {
            if (accumulate) {
                Mem.copy(c, cIdx + (long) r * ldc, tile, (long) r * NR, nr);
            }
        }
        microKernel(kc, ap, aIdx, aK, aR, bp, bIdx, tile, 0, NR, accumulate);
        for (int r = 0; r < mr; r++) {
            Mem.copy(tile, (long) r * NR, c, cIdx + (long) r * ldc, nr);
        }
    }

    /**
     * C[4 × 2L] (+)= Apanel[4 × kc] · Bpanel[kc × 2L], A's element (r, kk) at {@code aIdx + aK·kk + aR·r}.
     */
    private static void microKernel(int kc, float[] ap, int aIdx, int aK, int aR, float[] bp, int bIdx,
            MemorySegment c, long cIdx, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        // Indices derived from the loop variable, so that C2 proves them in bounds once, before the loop.
        for (int kk = 0; kk < kc; kk++) {
            int ai = aIdx + kk * aK;
            int bi = bIdx + kk * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + aR]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2 * aR]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3 * aR]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        {
            // Stores written out here: a vector never crosses a method boundary.
            long r0 = cIdx << 2;
            long r1 = (cIdx + ldc) << 2;
            long r2 = (cIdx + 2L * ldc) << 2;
            long r3 = (cIdx + 3L * ldc) << 2;
            long half = (long) L << 2;
            if (accumulate) {
                c00 = c00.add(FloatVector.fromMemorySegment(S, c, r0, O));
                c01 = c01.add(FloatVector.fromMemorySegment(S, c, r0 + half, O));
                c10 = c10.add(FloatVector.fromMemorySegment(S, c, r1, O));
                c11 = c11.add(FloatVector.fromMemorySegment(S, c, r1 + half, O));
                c20 = c20.add(FloatVector.fromMemorySegment(S, c, r2, O));
                c21 = c21.add(FloatVector.fromMemorySegment(S, c, r2 + half, O));
                c30 = c30.add(FloatVector.fromMemorySegment(S, c, r3, O));
                c31 = c31.add(FloatVector.fromMemorySegment(S, c, r3 + half, O));
            }
            c00.intoMemorySegment(c, r0, O);
            c01.intoMemorySegment(c, r0 + half, O);
            c10.intoMemorySegment(c, r1, O);
            c11.intoMemorySegment(c, r1 + half, O);
            c20.intoMemorySegment(c, r2, O);
            c21.intoMemorySegment(c, r2 + half, O);
            c30.intoMemorySegment(c, r3, O);
            c31.intoMemorySegment(c, r3 + half, O);
        }
    }

    // ------------------------------------------------------------------ few rows: no packing

    private static void fewRows(Parallel par, int m, int n, int k,
            MemorySegment a, long aOff, MemorySegment b, long bOff, boolean transB, MemorySegment c, long cOff) {
        par.forRange(n, Math.max(16, Parallel.MIN_CHUNK_WORK / Math.max(1, k * m)), (j0, j1) -> {
            if (transB) {
                fewRowsDots(m, n, k, a, aOff, b, bOff, c, cOff, j0, j1);
            } else {
                fewRowsStreams(m, n, k, a, aOff, b, bOff, c, cOff, j0, j1);
            }
        });
    }

    /**
     * Columns {@code [j0, j1)} of C = A·Bᵀ for a few rows of A: each output is a dot product of two contiguous rows
     * (decoding's attention scores: a query against every cached key). Four columns at a time, so that the four
     * in-order lane sums, each a chain of dependent adds longer than the product itself at a head's depth of 64,
     * overlap. Every output is the same sum in the same order as {@link Simd#dot}'s.
     */
    private static void fewRowsDots(int m, int n, int k, MemorySegment a, long aOff, MemorySegment b, long bOff,
            MemorySegment c, long cOff, int j0, int j1) {
        float[] lanes = DOT_LANES.get();
        int bound = S.loopBound(k);
        for (int i = 0; i < m; i++) {
            long aRow = aOff + (long) i * k;
            long cRow = cOff + (long) i * n;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                long b0 = bOff + (long) j * k;
                long b1 = b0 + k;
                long b2 = b1 + k;
                long b3 = b2 + k;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector s3 = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += L) {
                    FloatVector x = FloatVector.fromMemorySegment(S, a, (aRow + p) << 2, O);
                    s0 = x.fma(FloatVector.fromMemorySegment(S, b, (b0 + p) << 2, O), s0);
                    s1 = x.fma(FloatVector.fromMemorySegment(S, b, (b1 + p) << 2, O), s1);
                    s2 = x.fma(FloatVector.fromMemorySegment(S, b, (b2 + p) << 2, O), s2);
                    s3 = x.fma(FloatVector.fromMemorySegment(S, b, (b3 + p) << 2, O), s3);
                }
                s0.intoArray(lanes, 0);
                s1.intoArray(lanes, L);
                s2.intoArray(lanes, 2 * L);
                s3.intoArray(lanes, 3 * L);
                float t0 = 0;
                float t1 = 0;
                float t2 = 0;
                float t3 = 0;
                for (int l = 0; l < L; l++) {
                    t0 += lanes[l];
                    t1 += lanes[L + l];
                    t2 += lanes[2 * L + l];
                    t3 += lanes[3 * L + l];
                }
                for (; p < k; p++) {
                    float x = Mem.get(a, aRow + p);
                    t0 += x * Mem.get(b, b0 + p);
                    t1 += x * Mem.get(b, b1 + p);
                    t2 += x * Mem.get(b, b2 + p);
                    t3 += x * Mem.get(b, b3 + p);
                }
                Mem.set(c, cRow + j, t0);
                Mem.set(c, cRow + j + 1, t1);
                Mem.set(c, cRow + j + 2, t2);
                Mem.set(c, cRow + j + 3, t3);
            }
            for (; j < j1; j++) {
                Mem.set(c, cRow + j, Simd.dot(true, a, aRow, b, bOff + (long) j * k, k));
            }
        }
    }

    /**
     * Columns {@code [j0, j1)} of C = A·B for a few rows of A, streaming B's rows (decoding: attention weights times
     * the cached values). Up to four vectors of a C row stay in registers over the whole depth rather than being
     * loaded and stored once per row of B; each element is the same chain of multiply-adds, in the same order, as
     * {@link Simd#axpy} over the rows of B would give (fused in the vector part, plain in the scalar tail).
     */
    private static void fewRowsStreams(int m, int n, int k, MemorySegment a, long aOff, MemorySegment b, long bOff,
            MemorySegment c, long cOff, int j0, int j1) {
        for (int i = 0; i < m; i++) {
            long aRow = aOff + (long) i * k;
            long cRow = cOff + (long) i * n;
            int j = j0;
            for (; j + 4 * L <= j1; j += 4 * L) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = FloatVector.zero(S);
                FloatVector c2 = FloatVector.zero(S);
                FloatVector c3 = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector ap = FloatVector.broadcast(S, Mem.get(a, aRow + p));
                    long row = (bOff + (long) p * n + j) << 2;
                    c0 = FloatVector.fromMemorySegment(S, b, row, O).fma(ap, c0);
                    c1 = FloatVector.fromMemorySegment(S, b, row + ((long) L << 2), O).fma(ap, c1);
                    c2 = FloatVector.fromMemorySegment(S, b, row + ((long) (2 * L) << 2), O).fma(ap, c2);
                    c3 = FloatVector.fromMemorySegment(S, b, row + ((long) (3 * L) << 2), O).fma(ap, c3);
                }
                long at = (cRow + j) << 2;
                c0.intoMemorySegment(c, at, O);
                c1.intoMemorySegment(c, at + ((long) L << 2), O);
                c2.intoMemorySegment(c, at + ((long) (2 * L) << 2), O);
                c3.intoMemorySegment(c, at + ((long) (3 * L) << 2), O);
            }
            for (; j + L <= j1; j += L) {
                FloatVector c0 = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector ap = FloatVector.broadcast(S, Mem.get(a, aRow + p));
                    c0 = FloatVector.fromMemorySegment(S, b, (bOff + (long) p * n + j) << 2, O).fma(ap, c0);
                }
                c0.intoMemorySegment(c, (cRow + j) << 2, O);
            }
            for (; j < j1; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s = s + Mem.get(a, aRow + p) * Mem.get(b, bOff + (long) p * n + j);
                }
                Mem.set(c, cRow + j, s);
            }
        }
    }

    // ------------------------------------------------------------------ scalar reference path

    private static void scalar(Parallel par, int m, int n, int k,
            MemorySegment a, long aOff, boolean transA, MemorySegment b, long bOff, boolean transB, MemorySegment c,
            long cOff) {
        par.forRange(m, Math.max(1, 65536 / Math.max(1, n * k)), (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                long cRow = cOff + (long) i * n;
                Mem.fill(c, cRow, n, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? Mem.get(a, aOff + (long) p * m + i) : Mem.get(a, aOff + (long) i * k + p);
                    for (int j = 0; j < n; j++) {
                        float bpj = transB ? Mem.get(b, bOff + (long) j * k + p) : Mem.get(b, bOff + (long) p * n + j);
                        Mem.set(c, cRow + j, Mem.get(c, cRow + j) + aip * bpj);
                    }
                }
            }
        });
    }
}
