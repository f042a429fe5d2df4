package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * A learned tensor and its accumulated gradient. The value lives as long as the model (it never belongs
 * to a {@link TensorScope}); the gradient is created by the first backward contribution and summed with the
 * next ones (a tied embedding gets several), until {@link #zeroGradient()}.
 */
public final class Parameter implements AutoCloseable {

    private final String name;
    private final Tensor value;
    private Tensor gradient;

    /** Wraps {@code value}, taking it out of any scope: the parameter owns it from now on. */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = TensorScope.takeOwnership(value);
    }

    /** The checkpoint name, e.g. {@code encoder.layers.0.self_attn.q_proj.weight}. */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Shape shape() {
        return value.shape();
    }

    private Backend backend() {
        return value.backend();
    }

    /** The accumulated gradient, or null when no backward pass contributed since the last reset. */
    public Tensor gradient() {
        return gradient;
    }

    /** Adds {@code g} to the gradient. The first contribution is kept as it is, not copied. */
    public void accumulateGradient(Tensor g) {
        if (!g.shape().equals(value.shape())) {
            throw new IllegalArgumentException("gradient " + g.shape() + " for parameter " + name + " " + value.shape());
        }
        if (gradient == null) {
            gradient = TensorScope.takeOwnership(g);
        } else {
            backend().addInPlace(gradient, g, 1f);
        }
    }

    /** The gradient tensor to accumulate into in place (zeros when there was none yet), for scatter-adds. */
    public Tensor gradientAccumulator() {
        if (gradient == null) {
            gradient = TensorScope.takeOwnership(backend().zeros(value.shape()));
        }
        return gradient;
    }

    /** Drops the gradient (before the next batch). */
    public void zeroGradient() {
        if (gradient != null) {
            gradient.close();
            gradient = null;
        }
    }

    /** Overwrites the value (loading, averaging). */
    public void assign(float[] values) {
        backend().copyFromHost(values, value);
    }

    @Override
    public void close() {
        zeroGradient();
        value.close();
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
