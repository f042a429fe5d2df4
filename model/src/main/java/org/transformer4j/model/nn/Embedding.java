package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/** A token embedding table {@code [vocab, d]}: rows looked up by id, gradients scattered back. */
public final class Embedding {

    private final Backend backend;
    private final Parameter weight;

    public Embedding(Backend backend, Parameter weight) {
        this.backend = backend;
        this.weight = weight;
    }

    public Parameter weight() {
        return weight;
    }

    /** {@code (ids.length, d)}. */
    public Tensor forward(int[] ids) {
        return backend.gather(weight.value(), ids);
    }

    /** Adds each row of {@code dRows} to the gradient row of its id. */
    public void backward(int[] ids, Tensor dRows) {
        backend.scatterAddInPlace(weight.gradientAccumulator(), ids, dRows);
    }
}
