package org.transformer4j.backend.nd4j.ops;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J calls every op family shares, each writing into an array the caller provides (never letting ND4J
 * allocate a result): row and column broadcasts over matrices, scalar arithmetic, row reductions, and host
 * copies. "Row" vectors have one element per column and are repeated down the rows; "column" vectors have one
 * element per row.
 */
public final class Nd {

    private Nd() {
    }

    /**
     * Runs a legacy op, then closes the small argument arrays ND4J made for it (the scalar of a scalar op, the
     * axis list of a broadcast or reduction), which would otherwise wait for the garbage collector.
     */
    public static void exec(Op op) {
        try {
            Nd4j.getExecutioner().exec(op);
        } finally {
            if (op instanceof ScalarOp s) {
                closeQuietly(s.scalar());
            }
            if (op instanceof BaseOp b) {
                closeQuietly(b.dimensions());
            }
        }
    }

    private static void closeQuietly(INDArray argument) {
        if (argument != null && !argument.wasClosed() && argument.closeable()) {
            argument.close();
        }
    }

    public static void exec(CustomOp op) {
        Nd4j.getExecutioner().exec(op);
    }

    /** Runs the libnd4j custom op {@code name} on the given inputs into the given outputs. */
    public static DynamicCustomOp.DynamicCustomOpsBuilder op(String name) {
        return DynamicCustomOp.builder(name);
    }

    // ---------------------------------------------------------------- broadcasts over a matrix [rows, cols]

    public static void addRow(INDArray x, INDArray row, INDArray z) {
        exec(new BroadcastAddOp(x, row, z, 1));
    }

    public static void mulRow(INDArray x, INDArray row, INDArray z) {
        exec(new BroadcastMulOp(x, row, z, 1));
    }

    public static void subColumn(INDArray x, INDArray column, INDArray z) {
        exec(new BroadcastSubOp(x, column, z, 0));
    }

    public static void mulColumn(INDArray x, INDArray column, INDArray z) {
        exec(new BroadcastMulOp(x, column, z, 0));
    }

    // ---------------------------------------------------------------- elementwise, same shapes

    public static void mul(INDArray x, INDArray y, INDArray z) {
        exec(new MulOp(x, y, z));
    }

    public static void sub(INDArray x, INDArray y, INDArray z) {
        exec(new SubOp(x, y, z));
    }

    public static void div(INDArray x, INDArray y, INDArray z) {
        exec(new DivOp(x, y, z));
    }

    /** {@code z = alpha · x}. */
    public static void scale(INDArray x, double alpha, INDArray z) {
        exec(new ScalarMultiplication(x, null, z, alpha));
    }

    /** {@code z = x + c}. */
    public static void addScalar(INDArray x, double c, INDArray z) {
        exec(new ScalarAdd(x, null, z, c));
    }

    /**
     * {@code y += alpha · x} over flat arrays of equal length: OpenBLAS's saxpy, called directly (libnd4j's axpy
     * transform would cache a constant buffer per distinct alpha and length).
     */
    public static void axpy(double alpha, INDArray x, INDArray y) {
        requireFlat(x);
        requireFlat(y);
        long n = x.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("axpy over " + n + " elements: more than BLAS's int range");
        }
        Nd4j.getBlasWrapper().level1().axpy(n, alpha, x, y);
    }

    // ---------------------------------------------------------------- reductions of a matrix into a vector

    /** {@code z[i] = Σ_j x[i, j]} ({@code axis} 1) or {@code z[j] = Σ_i x[i, j]} ({@code axis} 0). */
    public static void sum(INDArray x, INDArray z, int axis) {
        exec(new Sum(x, z, axis));
    }

    public static void mean(INDArray x, INDArray z, int axis) {
        exec(new Mean(x, z, axis));
    }

    public static void max(INDArray x, INDArray z, int axis) {
        exec(new Max(x, z, axis));
    }

    public static void squaredNorm(INDArray x, INDArray z, int... axes) {
        exec(new SquaredNorm(x, z, axes));
    }

    // ---------------------------------------------------------------- host copies (and raw BLAS)

    /**
     * Raw pointer access sees a data buffer from its start: only whole, offset-0 arrays (a storage's flat array,
     * a scratch array) may be given to it, never a view into the middle of one.
     */
    private static void requireFlat(INDArray a) {
        if (a.offset() != 0 || a.length() != a.data().length()) {
            throw new IllegalStateException("raw access to a view of an ND4J buffer: " + a.shapeInfoToString());
        }
    }

    /** Copies {@code length} floats from {@code src[offset..]} into the flat array {@code dst} at {@code at}. */
    public static void put(float[] src, int offset, int length, INDArray dst, long at) {
        requireFlat(dst);
        new FloatPointer(dst.data().addressPointer()).position(at).put(src, offset, length);
    }

    /** Copies {@code length} floats of the flat array {@code src} from {@code at} into {@code dst[offset..]}. */
    public static void get(INDArray src, long at, float[] dst, int offset, int length) {
        requireFlat(src);
        new FloatPointer(src.data().addressPointer()).position(at).get(dst, offset, length);
    }
}
