package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;

/** Copies, permutations, concatenation, embedding gather and scatter-add, reductions over an axis, argmax. */
public final class Layout {

    private Layout() {
    }

    /** {@code out} (c-ordered) takes the elements of {@code x} with its axes permuted: a strided view, assigned. */
    public static void permute(INDArray x, int[] axes, INDArray out) {
        out.assign(x.permute(axes));
    }

    public static void concat(INDArray a, INDArray b, int axis, INDArray out) {
        Nd.exec(Nd.op("concat").addInputs(a, b).addOutputs(out).addIntegerArguments(axis).build());
    }

    /** {@code out[i, :] = table[ids[i], :]}. */
    public static void gather(INDArray table, int[] ids, INDArray out, Scratch scratch) {
        Nd.exec(Nd.op("gather").addInputs(table, scratch.indices(ids)).addOutputs(out).addIntegerArguments(0).build());
    }

    /**
     * {@code table[ids[i], :] += rows[i, :]}. libnd4j's {@code scatter_add} with its lock flag set, which runs the
     * updates in order on one thread: repeated ids then add up instead of racing.
     */
    public static void scatterAdd(INDArray table, int[] ids, INDArray rows, Scratch scratch) {
        Nd.exec(Nd.op("scatter_add").addInputs(table, scratch.indices(ids), rows).addOutputs(table)
                .addBooleanArguments(true, false).build());
    }

    /**
     * The sum (or mean) over the middle axis of {@code x} seen as {@code [outer, len, inner]}, into {@code out}
     * seen as {@code [outer, inner]}.
     */
    public static void reduce(INDArray x, long outer, long len, long inner, boolean mean, INDArray out) {
        INDArray in;
        INDArray into;
        int axis;
        if (inner == 1) {
            in = x.reshape('c', outer, len);
            into = out.reshape(outer);
            axis = 1;
        } else if (outer == 1) {
            in = x.reshape('c', len, inner);
            into = out.reshape(inner);
            axis = 0;
        } else {
            in = x.reshape('c', outer, len, inner);
            into = out.reshape('c', outer, inner);
            axis = 1;
        }
        if (mean) {
            Nd.mean(in, into, axis);
        } else {
            Nd.sum(in, into, axis);
        }
    }

    /** The index of the first largest element of each row of {@code x [rows, d]}. */
    public static int[] argmax(INDArray x, long rows, Scratch scratch) {
        INDArray index = scratch.longs(rows);
        Nd.exec(new ArgMax(new INDArray[] {x}, new INDArray[] {index}, false, 1));
        long[] values = index.toLongVector();
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }
}
