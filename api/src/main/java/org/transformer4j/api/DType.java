package org.transformer4j.api;

/**
 * The element type of a tensor.
 *
 * <p>Every backend computes in {@link #FLOAT32} today. The half-precision types are named here so that a
 * GPU backend can add them without changing the API; a backend refuses a dtype it does not support.
 */
public enum DType {
    FLOAT32(4),
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
