package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/** The position-wise feed-forward network (paper section 3.3): {@code FFN(x) = max(0, x·W1ᵀ + b1)·W2ᵀ + b2}. */
public final class FeedForward {

    private final Backend backend;
    private final Linear fc1;
    private final Linear fc2;

    public FeedForward(Backend backend, Linear fc1, Linear fc2) {
        this.backend = backend;
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    /** @param hidden the ReLU output {@code (N, d_ff)} */
    public record Activations(Tensor input, Tensor hidden, Tensor output) {

        /** Frees what this layer created (not its input), once its backward pass is done. */
        public void release() {
            hidden.close();
            output.close();
        }
    }

    public Activations forward(Tensor x) {
        Tensor preActivation = fc1.forward(x);        // (N, d_ff)
        Tensor hidden = backend.relu(preActivation);   // (N, d_ff)
        preActivation.close();
        return new Activations(x, hidden, fc2.forward(hidden));
    }

    public Tensor backward(Activations a, Tensor dOut) {
        Tensor dHidden = fc2.backward(a.hidden(), dOut);
        return fc1.backward(a.input(), backend.reluBackward(dHidden, a.hidden()));
    }
}
