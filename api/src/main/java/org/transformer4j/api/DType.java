package org.transformer4j.api;

/**
 * The element type of a tensor.
 *
 * <p>Every backend computes in {@link #FLOAT32} today (the tests' reference backend in {@link #FLOAT64}). The
 * half-precision types are named here so that a GPU backend can add them without changing the API; a backend
 * refuses a dtype it does not support.
 */
public enum DType {
    FLOAT32(4),
    /** Double precision; used by the float64 reference backend of the tests. */
    FLOAT64(8),
    /** IEEE 754 half precision; reserved for GPU backends. */
    FLOAT16(2),
    /** bfloat16 (8-bit exponent, 7-bit mantissa); reserved for GPU backends. */
    BFLOAT16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
