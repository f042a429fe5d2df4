package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Tensor;

/** Layer normalisation over the last axis with a learned gain ({@code weight}) and bias. */
public final class LayerNorm {

    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;
    private final float eps;

    public LayerNorm(Backend backend, Parameter weight, Parameter bias, float eps) {
        this.backend = backend;
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /** The normalised output, with the row statistics the backward pass needs. */
    public LayerNormOutput forward(Tensor x) {
        return backend.layerNorm(x, weight.value(), bias.value(), eps);
    }

    /** Returns dx and accumulates the gradients of the gain and bias. */
    public Tensor backward(Tensor x, LayerNormOutput saved, Tensor dy) {
        LayerNormGradients g = backend.layerNormBackward(dy, x, weight.value(), saved.mean(), saved.rstd());
        weight.accumulateGradient(g.dgamma());
        bias.accumulateGradient(g.dbeta());
        return g.dx();
    }
}
