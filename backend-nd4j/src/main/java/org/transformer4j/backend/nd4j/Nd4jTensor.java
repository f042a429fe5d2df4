package org.transformer4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.AbstractTensor;

/** A tensor of the nd4j backend: a c-ordered view with this tensor's shape of its storage's flat array. */
final class Nd4jTensor extends AbstractTensor<Nd4jStorage> {

    private final INDArray array;

    Nd4jTensor(Nd4jBackend backend, Shape shape, Nd4jStorage storage) {
        super(backend, shape, DType.FLOAT32, storage);
        this.array = shape.rank() == 1 ? storage.flat : storage.flat.reshape('c', dims(shape));
    }

    /** The elements with this tensor's shape; valid until the tensor is closed. */
    INDArray array() {
        storage();
        return array;
    }

    /** The elements as a matrix of rows (all leading axes) by the last axis. */
    INDArray rows() {
        return matrix(shape().rows(), shape().last());
    }

    /** The elements seen as a {@code rows × cols} c-ordered matrix (a view, no copy). */
    INDArray matrix(long rows, long cols) {
        return storage().flat.reshape('c', rows, cols);
    }

    /** The rank-1 view of every element. */
    INDArray flat() {
        return storage().flat;
    }

    static long[] dims(Shape shape) {
        long[] dims = new long[shape.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.dim(i);
        }
        return dims;
    }
}
