package org.transformer4j.backend.cpu;

import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.AbstractTensor;

/** A tensor of the cpu backend: a row-major float32 array, starting at index 0. */
final class CpuTensor extends AbstractTensor<CpuStorage> {

    CpuTensor(CpuBackend backend, Shape shape, CpuStorage storage) {
        super(backend, shape, DType.FLOAT32, storage);
    }

    /** The elements; valid until the tensor is closed. */
    float[] data() {
        return storage().data;
    }

    int n() {
        return shape().intSize();
    }
}
