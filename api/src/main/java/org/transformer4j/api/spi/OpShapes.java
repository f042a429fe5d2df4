package org.transformer4j.api.spi;

import java.util.Arrays;

import org.transformer4j.api.Shape;

/**
 * Shape rules of the {@link org.transformer4j.api.Backend} ops: each method validates its arguments and
 * returns the output shape. Every backend calls these before computing, so a mistake gets the same message
 * everywhere, naming both shapes (tinygrad's grad-shape assert, in spirit).
 */
public final class OpShapes {

    private OpShapes() {
    }

    /** The output shape of {@code matmul(a, b, transA, transB)}; see {@link org.transformer4j.api.Backend#matmul}. */
    public static Shape matmul(Shape a, Shape b, boolean transA, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs matrices (rank 2) or batches of them (rank 3+), got "
                    + a + " and " + b);
        }
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException("matmul: operands of different ranks, " + a + " and " + b
                    + "; reshape them to the same batch axes first");
        }
        int r = a.rank();
        for (int i = 0; i < r - 2; i++) {
            if (a.dim(i) != b.dim(i)) {
                throw new IllegalArgumentException("matmul: batch axes differ, " + a + " and " + b);
            }
        }
        int m = transA ? a.dim(r - 1) : a.dim(r - 2);
        int ka = transA ? a.dim(r - 2) : a.dim(r - 1);
        int kb = transB ? b.dim(r - 1) : b.dim(r - 2);
        int n = transB ? b.dim(r - 2) : b.dim(r - 1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, a " + a + (transA ? "ᵀ" : "")
                    + " has " + ka + ", b " + b + (transB ? "ᵀ" : "") + " has " + kb);
        }
        int[] out = a.toArray();
        out[r - 2] = m;
        out[r - 1] = n;
        return Shape.of(out);
    }

    /** Checks that {@code b} equals {@code a} or a suffix of it, for {@code add} and {@code mul}. */
    public static Shape broadcastSuffix(String op, Shape a, Shape b) {
        if (!a.endsWith(b)) {
            throw new IllegalArgumentException(op + ": shape " + b + " must equal " + a
                    + " or its trailing axes (it is repeated over the leading ones)");
        }
        return a;
    }

    public static Shape same(String op, Shape a, Shape b) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException(op + ": shapes differ, " + a + " and " + b);
        }
        return a;
    }

    /** Checks an additive softmax mask: null, or the same rank as {@code x} with each dimension equal or 1. */
    public static void softmaxMask(Shape x, Shape mask) {
        if (mask == null) {
            return;
        }
        boolean ok = mask.rank() == x.rank();
        for (int i = 0; ok && i < x.rank(); i++) {
            ok = mask.dim(i) == x.dim(i) || mask.dim(i) == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("softmax: mask " + mask + " does not broadcast to " + x
                    + " (same rank, each dimension equal or 1)");
        }
    }

    public static void rank(String op, Shape x, int minRank) {
        if (x.rank() < minRank) {
            throw new IllegalArgumentException(op + " needs a tensor of rank " + minRank + " or more, got " + x);
        }
    }

    /** Checks {@code layerNorm(x, gamma, beta)}: gamma and beta are {@code [D]}, D the last axis of x. */
    public static void layerNorm(Shape x, Shape gamma, Shape beta) {
        rank("layerNorm", x, 1);
        Shape d = Shape.of(x.last());
        if (!gamma.equals(d) || !beta.equals(d)) {
            throw new IllegalArgumentException("layerNorm: gamma " + gamma + " and beta " + beta + " must be " + d
                    + " for input " + x);
        }
    }

    /** Checks the saved statistics given to {@code layerNormBackward}. */
    public static void layerNormBackward(Shape dy, Shape x, Shape gamma, Shape mean, Shape rstd) {
        same("layerNormBackward", dy, x);
        layerNorm(x, gamma, gamma);
        Shape rows = x.drop(-1);
        if (!mean.equals(rows) || !rstd.equals(rows)) {
            throw new IllegalArgumentException("layerNormBackward: mean " + mean + " and rstd " + rstd + " must be "
                    + rows + " for input " + x);
        }
    }

    /** Checks an embedding lookup and returns {@code [ids.length, D]}. */
    public static Shape gather(Shape table, int[] ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("gather: the table must be [V, D], got " + table);
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("gather: no ids");
        }
        checkIds("gather", ids, table.dim(0), Integer.MIN_VALUE);
        return Shape.of(ids.length, table.dim(1));
    }

    /** Checks {@code scatterAddInPlace(table, ids, rows)}. */
    public static void scatterAdd(Shape table, int[] ids, Shape rows) {
        Shape expected = gather(table, ids);
        if (!rows.equals(expected)) {
            throw new IllegalArgumentException("scatterAdd: rows " + rows + " must be " + expected + " for "
                    + ids.length + " ids into a table " + table);
        }
    }

    /** Checks {@code crossEntropy(logits, targets, ...)} and returns the per-row shape {@code [N]}. */
    public static Shape crossEntropy(Shape logits, int[] targets, float smoothing, int ignoreIndex) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, V], got " + logits);
        }
        if (targets.length != logits.dim(0)) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for " + logits.dim(0)
                    + " rows of logits " + logits);
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1), got " + smoothing);
        }
        checkIds("crossEntropy", targets, logits.dim(1), ignoreIndex);
        return Shape.of(logits.dim(0));
    }

    private static void checkIds(String op, int[] ids, int limit, int allowed) {
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if ((id < 0 || id >= limit) && id != allowed) {
                throw new IllegalArgumentException(op + ": id " + id + " at position " + i + " is outside [0, " + limit
                        + ")");
            }
        }
    }

    /** Checks that {@code a} and {@code b} can be joined along {@code axis} and returns the joined shape. */
    public static Shape concat(Shape a, Shape b, int axis) {
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException("concat: " + a + " and " + b + " differ in rank");
        }
        int ax = axis < 0 ? axis + a.rank() : axis;
        if (ax < 0 || ax >= a.rank()) {
            throw new IllegalArgumentException("concat: axis " + axis + " is outside a tensor of rank " + a.rank());
        }
        int[] dims = a.toArray();
        for (int i = 0; i < dims.length; i++) {
            if (i != ax && dims[i] != b.dim(i)) {
                throw new IllegalArgumentException("concat: " + a + " and " + b + " differ on axis " + i
                        + ", not only on the joined axis " + ax);
            }
        }
        dims[ax] += b.dim(ax);
        return Shape.of(dims);
    }

    /** Checks a permutation of {@code x}'s axes and returns the permuted shape. */
    public static Shape permute(Shape x, int[] axes) {
        int r = x.rank();
        boolean[] seen = new boolean[r];
        boolean ok = axes.length == r;
        for (int i = 0; ok && i < r; i++) {
            ok = axes[i] >= 0 && axes[i] < r && !seen[axes[i]];
            if (ok) {
                seen[axes[i]] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(axes) + " is not a permutation of the "
                    + r + " axes of " + x);
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = x.dim(axes[i]);
        }
        return Shape.of(out);
    }

    public static void reshape(Shape x, Shape to) {
        if (x.size() != to.size()) {
            throw new IllegalArgumentException("reshape: " + x + " has " + x.size() + " elements, " + to + " has "
                    + to.size());
        }
    }

    /** Checks that a host array has the tensor's element count. */
    public static void hostLength(String op, int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(op + ": host array of " + length + " floats for a tensor " + shape
                    + " of " + shape.size());
        }
    }

    /** A host array that {@code toHost} may fill: at least as long as the tensor. */
    public static void hostCapacity(String op, int length, Shape shape) {
        if (length < shape.size()) {
            throw new IllegalArgumentException(op + ": host array of " + length + " floats is too short for a tensor "
                    + shape + " of " + shape.size());
        }
    }

    public static void dropout(float p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
    }
}
