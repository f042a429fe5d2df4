package org.transformer4j.backend.cuda;

import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.AbstractTensor;

/** A tensor of the cuda backend: row-major float32 elements in device memory. */
final class CudaTensor extends AbstractTensor<CudaStorage> {

    CudaTensor(CudaBackend backend, Shape shape, CudaStorage storage) {
        super(backend, shape, DType.FLOAT32, storage);
    }

    /** The device memory; valid until the tensor is closed. */
    DevicePointer data() {
        return storage().block;
    }

    long n() {
        return shape().size();
    }
}
