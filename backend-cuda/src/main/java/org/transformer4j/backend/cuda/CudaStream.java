package org.transformer4j.backend.cuda;

import jcuda.driver.CUstream;

/** The backend's stream, with its raw handle for cuBLAS's {@code cublasSetStream}. */
final class CudaStream extends CUstream {

    long handle() {
        return getNativePointer();
    }
}
