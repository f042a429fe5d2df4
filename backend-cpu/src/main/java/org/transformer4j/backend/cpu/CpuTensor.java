package org.transformer4j.backend.cpu;

import java.lang.foreign.MemorySegment;

import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;
import org.transformer4j.api.spi.AbstractTensor;

/** A tensor of the cpu backend: row-major float32 elements in native memory. */
final class CpuTensor extends AbstractTensor<CpuStorage> {

    CpuTensor(CpuBackend backend, Shape shape, CpuStorage storage) {
        super(backend, shape, DType.FLOAT32, storage);
    }

    /** The elements; valid until the tensor is closed. */
    MemorySegment data() {
        return storage().data;
    }

    int n() {
        return shape().intSize();
    }
}
