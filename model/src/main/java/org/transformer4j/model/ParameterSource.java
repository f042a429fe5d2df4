package org.transformer4j.model;

import org.transformer4j.model.nn.Init;

/** Where a model's parameter values come from: an initialiser or a checkpoint. */
@FunctionalInterface
public interface ParameterSource {

    /** The row-major values of the parameter {@code spec} ({@code spec.shape().size()} of them). */
    float[] values(ParameterSpec spec);

    /**
     * The initialisation of the paper's reference code: Xavier/Glorot uniform for every matrix and embedding,
     * zeros for biases, ones for layer-norm gains; each parameter from its own generator seeded by
     * {@code seed} and its name, so the result is reproducible.
     */
    static ParameterSource initialiser(long seed) {
        return spec -> switch (spec.role()) {
            case MATRIX, EMBEDDING -> Init.xavierUniform(spec.shape().dim(0), spec.shape().dim(1), seed, spec.name());
            case BIAS, NORM_BIAS -> Init.constant(spec.shape().intSize(), 0f);
            case NORM_GAIN -> Init.constant(spec.shape().intSize(), 1f);
        };
    }
}
