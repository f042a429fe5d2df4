package org.transformer4j.model;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.FeedForward;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.MultiHeadAttention;
import org.transformer4j.model.nn.SublayerConnection;

/** One encoder layer (paper Figure 1, left): self-attention, then feed-forward, each in a residual connection. */
public final class EncoderLayer {

    private final Backend backend;
    private final MultiHeadAttention selfAttention;
    private final SublayerConnection attentionConnection;
    private final FeedForward feedForward;
    private final SublayerConnection feedForwardConnection;

    EncoderLayer(Backend backend, MultiHeadAttention selfAttention, SublayerConnection attentionConnection,
            FeedForward feedForward, SublayerConnection feedForwardConnection) {
        this.backend = backend;
        this.selfAttention = selfAttention;
        this.attentionConnection = attentionConnection;
        this.feedForward = feedForward;
        this.feedForwardConnection = feedForwardConnection;
    }

    public record Activations(SublayerConnection.Step attentionStep, MultiHeadAttention.Activations attention,
            SublayerConnection.Step feedForwardStep, FeedForward.Activations feedForward) {

        public Tensor output() {
            return feedForwardStep.output();
        }

        /** Frees what the layer created (its output included), once its backward pass is done. */
        public void release() {
            attention.release();
            attentionStep.release();
            feedForward.release();
            feedForwardStep.release();
        }
    }

    /** @param x {@code (B·S, d)}; {@code mask} hides the source padding */
    public Activations forward(Tensor x, int batch, int length, AttentionMask mask, ForwardContext context) {
        SublayerConnection.Step a = attentionConnection.begin(x, context);
        Tensor in = a.sublayerInput();
        MultiHeadAttention.Activations att = selfAttention.forward(in, in, batch, length, length, mask);
        a.finish(att.output());

        SublayerConnection.Step f = feedForwardConnection.begin(a.output(), context);
        FeedForward.Activations ffn = feedForward.forward(f.sublayerInput());
        f.finish(ffn.output());
        return new Activations(a, att, f, ffn);
    }

    /**
     * Returns the gradient of the layer's input and accumulates its parameters' gradients. The layer's
     * activations and the backward pass's temporaries are freed on return: only the returned gradient lives on.
     */
    public Tensor backward(Activations act, Tensor dOut) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor dFfnOut = act.feedForwardStep().sublayerOutputGradient(dOut);
            Tensor dMid = act.feedForwardStep().inputGradient(feedForward.backward(act.feedForward(), dFfnOut));

            Tensor dAttOut = act.attentionStep().sublayerOutputGradient(dMid);
            MultiHeadAttention.Gradients g = selfAttention.backward(act.attention(), dAttOut);
            backend.addInPlace(g.queryInput(), g.keyValueInput(), 1f);
            Tensor dx = scope.keep(act.attentionStep().inputGradient(g.queryInput()));
            act.release();
            return dx;
        }
    }
}
