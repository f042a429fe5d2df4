package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.transformer4j.api.TopK;

import jdk.incubator.vector.FloatVector;

/** Data movement: axis permutation, embedding gather and its scatter-add, and reductions over one axis. */
public final class Layout {

    private Layout() {
    }

    /**
     * out = x with axes permuted ({@code out.shape[i] = x.shape[axes[i]]}). When the last axis stays last,
     * whole rows are copied at once.
     */
    public static void permute(Parallel par, MemorySegment x, int n, int[] dims, int[] axes, MemorySegment out) {
        int rank = dims.length;
        int[] inStrides = new int[rank];
        inStrides[rank - 1] = 1;
        for (int i = rank - 2; i >= 0; i--) {
            inStrides[i] = inStrides[i + 1] * dims[i + 1];
        }
        int[] outDims = new int[rank];
        int[] strideOfOut = new int[rank]; // input stride of each output axis
        for (int i = 0; i < rank; i++) {
            outDims[i] = dims[axes[i]];
            strideOfOut[i] = inStrides[axes[i]];
        }
        boolean lastStays = axes[rank - 1] == rank - 1;
        int inner = lastStays ? outDims[rank - 1] : 1;
        int outerRank = lastStays ? rank - 1 : rank;
        int outer = n / inner;
        par.forRange(outer, Math.max(1, Parallel.MIN_CHUNK_WORK / inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                long src = 0;
                int rem = o;
                for (int axis = outerRank - 1; axis >= 0; axis--) {
                    int idx = rem % outDims[axis];
                    rem /= outDims[axis];
                    src += (long) idx * strideOfOut[axis];
                }
                if (lastStays && inner % Simd.LANES == 0 && inner <= 256) {
                    // Short rows (a head's 64 floats): vector moves, where a bulk copy's set-up would cost more.
                    long from = src << 2;
                    long to = ((long) o * inner) << 2;
                    for (int j = 0; j < inner; j += Simd.LANES) {
                        FloatVector.fromMemorySegment(Simd.SPECIES, x, from + ((long) j << 2), Simd.ORDER)
                                .intoMemorySegment(out, to + ((long) j << 2), Simd.ORDER);
                    }
                } else if (lastStays) {
                    Mem.copy(x, src, out, (long) o * inner, inner);
                } else {
                    Mem.set(out, o, Mem.get(x, src));
                }
            }
        });
    }

    /** out[i, :] = table[ids[i], :] for a table of row length d. */
    public static void gather(Parallel par, MemorySegment table, int d, int[] ids, MemorySegment out) {
        par.forRange(ids.length, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                Mem.copy(table, (long) ids[i] * d, out, (long) i * d, d);
            }
        });
    }

    /**
     * table[ids[i], :] += rows[i, :]. Threads split the columns, so repeated ids never race and the sum
     * order per element is the order of {@code ids} (deterministic).
     */
    public static void scatterAdd(Parallel par, boolean simd, MemorySegment table, int d, int[] ids, MemorySegment rows) {
        par.forRange(d, Math.max(64, Parallel.MIN_CHUNK_WORK / ids.length), (j0, j1) -> {
            for (int i = 0; i < ids.length; i++) {
                Simd.axpy(simd, 1f, rows, (long) i * d + j0, table, (long) ids[i] * d + j0, j1 - j0);
            }
        });
    }

    /** out[o, i] = scale · Σ_l x[o, l, i] for x seen as [outer, len, inner]. */
    public static void sum(Parallel par, boolean simd, MemorySegment x, int outer, int len, int inner, float scale,
            MemorySegment out) {
        if (inner == 1) {
            par.forRange(outer, Math.max(1, Parallel.MIN_CHUNK_WORK / len), (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    Mem.set(out, o, scale * Simd.sum(simd, x, (long) o * len, len));
                }
            });
            return;
        }
        // Columns are independent: threads split (outer × column chunks), each summing rows in order.
        int colChunk = 256;
        int chunksPerOuter = (inner + colChunk - 1) / colChunk;
        if (outer == 1 && chunksPerOuter < par.threads() && (long) len * inner >= 4L * Parallel.MIN_CHUNK_WORK) {
            sumRowsInParts(par, simd, x, len, inner, scale, out);
            return;
        }
        par.forRange(outer * chunksPerOuter, Math.max(1, Parallel.MIN_CHUNK_WORK / (len * colChunk)), (w0, w1) -> {
            for (int w = w0; w < w1; w++) {
                int o = w / chunksPerOuter;
                int c0 = (w % chunksPerOuter) * colChunk;
                int c1 = Math.min(inner, c0 + colChunk);
                long dst = (long) o * inner;
                Mem.fill(out, dst + c0, c1 - c0, 0f);
                for (int l = 0; l < len; l++) {
                    Simd.axpy(simd, 1f, x, ((long) o * len + l) * inner + c0, out, dst + c0, c1 - c0);
                }
                if (scale != 1f) {
                    Simd.scale(simd, out, dst + c0, c1 - c0, scale);
                }
            }
        });
    }

    /**
     * out[i] = scale · Σ_l x[l, i] when there are too few columns to give every thread its own (the gradient of a
     * bias: a sum over the thousands of rows of a batch): each thread sums a run of rows into a partial row, and
     * the partial rows are added in order (deterministic for a thread count).
     */
    private static void sumRowsInParts(Parallel par, boolean simd, MemorySegment x, int len, int inner, float scale,
            MemorySegment out) {
        int parts = par.threads();
        MemorySegment[] partials = Scratch.partials(parts, inner);
        par.forRange(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int l0 = (int) ((long) p * len / parts);
                int l1 = (int) ((long) (p + 1) * len / parts);
                Mem.fill(partials[p], 0, inner, 0f);
                for (int l = l0; l < l1; l++) {
                    Simd.axpy(simd, 1f, x, (long) l * inner, partials[p], 0, inner);
                }
            }
        });
        Mem.copy(partials[0], 0, out, 0, inner);
        for (int p = 1; p < parts; p++) {
            Simd.axpy(simd, 1f, partials[p], 0, out, 0, inner);
        }
        if (scale != 1f) {
            Simd.scale(simd, out, 0, inner, scale);
        }
    }

    /** Joins {@code outer} blocks: each output block is {@code a}'s block of {@code blockA} then {@code b}'s. */
    public static void concat(Parallel par, MemorySegment a, int blockA, MemorySegment b, int blockB, int outer,
            MemorySegment out) {
        int block = blockA + blockB;
        par.forRange(outer, Math.max(1, Parallel.MIN_CHUNK_WORK / Math.max(1, block)), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                Mem.copy(a, (long) o * blockA, out, (long) o * block, blockA);
                Mem.copy(b, (long) o * blockB, out, (long) o * block + blockA, blockB);
            }
        });
    }

    /** The index of the largest element of each row (first one on ties). */
    public static void argmax(Parallel par, MemorySegment x, int rows, int d, int[] out) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * d;
                int best = 0;
                float bestValue = Mem.get(x, off);
                for (int j = 1; j < d; j++) {
                    float v = Mem.get(x, off + j);
                    if (v > bestValue) {
                        bestValue = v;
                        best = j;
                    }
                }
                out[r] = best;
            }
        });
    }

    /** A row of floats on the Java heap, per thread, for {@link #topK}. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * The k largest elements of each row, largest first, equal values in index order: each row is copied to a
     * per-thread array and selected by {@link TopK#selectRow}, the definition itself; rows split across threads.
     */
    public static void topK(Parallel par, MemorySegment x, int rows, int d, int k, float[] values, int[] indices) {
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / d), (r0, r1) -> {
            float[] row = ROW.get();
            if (row.length < d) {
                row = new float[d];
                ROW.set(row);
            }
            for (int r = r0; r < r1; r++) {
                MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (long) r * d * Float.BYTES, row, 0, d);
                TopK.selectRow(row, 0, d, k, values, indices, r * k);
            }
        });
    }
}
