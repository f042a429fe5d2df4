package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/** {@code y = x·Wᵀ + b} over rows: {@code x [N, in]}, {@code W [out, in]}, {@code b [out]} (optional). */
public final class Linear {

    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(Backend backend, Parameter weight, Parameter bias) {
        this.backend = backend;
        this.weight = weight;
        this.bias = bias;
    }

    public Parameter weight() {
        return weight;
    }

    public Tensor forward(Tensor x) {
        Tensor y = backend.matmul(x, weight.value(), false, true); // (N, out)
        if (bias != null) {
            backend.addInPlace(y, bias.value(), 1f); // the bias of every row, without another (N, out) tensor
        }
        return y;
    }

    /** Returns {@code dx = dy·W} and accumulates {@code dW += dyᵀ·x}, {@code db += Σ_rows dy}. */
    public Tensor backward(Tensor x, Tensor dy) {
        weight.accumulateGradient(backend.matmul(dy, x, true, false)); // (out, in)
        if (bias != null) {
            bias.accumulateGradient(backend.sum(dy, 0));
        }
        return backend.matmul(dy, weight.value(), false, false); // (N, in)
    }
}
