package org.transformer4j.model;

import org.transformer4j.api.Shape;

/**
 * One learned tensor of the model: its checkpoint name, its shape and its role (which decides how it is
 * initialised).
 */
public record ParameterSpec(String name, Shape shape, Role role) {

    public enum Role {
        /** A weight matrix {@code [out, in]}: Xavier uniform. */
        MATRIX,
        /** An embedding table {@code [vocab, d]}: Xavier uniform. */
        EMBEDDING,
        /** A linear layer's bias: zeros. */
        BIAS,
        /** A layer norm's gain: ones. */
        NORM_GAIN,
        /** A layer norm's bias: zeros. */
        NORM_BIAS
    }
}
