package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Tensor;

/**
 * The residual connection and layer norm around every sub-layer (the Annotated Transformer's
 * {@code SublayerConnection}), in the paper's post-norm form {@code LayerNorm(x + Dropout(Sublayer(x)))} or
 * the pre-norm form {@code x + Dropout(Sublayer(LayerNorm(x)))}.
 *
 * <p>Java has no closures over a backward pass, so one application is a {@link Step}: the caller asks it for
 * the sub-layer's input, runs the sub-layer, and hands back its output; in the backward pass the step turns
 * the output gradient into the sub-layer's output gradient, and the sub-layer's input gradient into the
 * gradient of {@code x}.
 */
public final class SublayerConnection {

    private final Backend backend;
    private final LayerNorm norm;
    private final boolean preNorm;
    private final float dropout;

    public SublayerConnection(Backend backend, LayerNorm norm, boolean preNorm, float dropout) {
        this.backend = backend;
        this.norm = norm;
        this.preNorm = preNorm;
        this.dropout = dropout;
    }

    /** Starts one application on {@code x} {@code (N, d)}. */
    public Step begin(Tensor x, ForwardContext context) {
        return new Step(x, context.dropout(dropout), context.nextSeed());
    }

    /** One application of the connection: forward state, then backward state. */
    public final class Step {
        private final Tensor x;
        private final float p;
        private final long seed;
        private LayerNormOutput preNormOut;
        private Tensor sum;
        private LayerNormOutput postNormOut;
        private Tensor output;
        private Tensor dResidual;

        private Step(Tensor x, float p, long seed) {
            this.x = x;
            this.p = p;
            this.seed = seed;
            if (preNorm) {
                preNormOut = norm.forward(x);
            }
        }

        /** What the sub-layer reads: {@code LayerNorm(x)} in pre-norm, {@code x} in post-norm. */
        public Tensor sublayerInput() {
            return preNorm ? preNormOut.y() : x;
        }

        /**
         * Completes the forward pass with the sub-layer's output (which it closes: the backward pass does not
         * need it) and returns the connection's output.
         */
        public Tensor finish(Tensor sublayerOutput) {
            Tensor dropped = p > 0 ? backend.dropout(sublayerOutput, p, seed) : sublayerOutput;
            sum = backend.add(x, dropped);
            // The backward pass needs neither: free them now rather than at the end of the step.
            dropped.close();
            sublayerOutput.close();
            if (preNorm) {
                output = sum;
            } else {
                postNormOut = norm.forward(sum);
                output = postNormOut.y();
            }
            return output;
        }

        public Tensor output() {
            return output;
        }

        /** Frees what this connection created (not its input {@code x}), once its backward pass is done. */
        public void release() {
            if (preNormOut != null) {
                preNormOut.close();
            }
            if (postNormOut != null) {
                postNormOut.close();
            }
            sum.close();
        }

        /** Backward, first half: the gradient of the sub-layer's output, given the connection output's. */
        public Tensor sublayerOutputGradient(Tensor dOutput) {
            dResidual = preNorm ? dOutput : norm.backward(sum, postNormOut, dOutput);
            return p > 0 ? backend.dropout(dResidual, p, seed) : dResidual;
        }

        /** Backward, second half: the gradient of {@code x}, given the gradient of the sub-layer's input. */
        public Tensor inputGradient(Tensor dSublayerInput) {
            Tensor viaSublayer = preNorm ? norm.backward(x, preNormOut, dSublayerInput) : dSublayerInput;
            return backend.add(dResidual, viaSublayer);
        }
    }
}
