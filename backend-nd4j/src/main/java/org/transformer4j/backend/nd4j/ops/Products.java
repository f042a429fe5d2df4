package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/** Matrix products: libnd4j's {@code matmul} (OpenBLAS sgemm, looped over the batch axes) into a given output. */
public final class Products {

    private Products() {
    }

    /** {@code out = op(a) · op(b)} for matrices or batches of them (equal leading axes), all c-ordered. */
    public static void matmul(INDArray a, INDArray b, boolean transA, boolean transB, INDArray out) {
        Nd.exec(new Mmul(a, b, out, 1.0, 0.0, MMulTranspose.builder().transposeA(transA).transposeB(transB).build()));
    }
}
