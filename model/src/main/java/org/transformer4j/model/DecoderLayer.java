package org.transformer4j.model;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.FeedForward;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.MultiHeadAttention;
import org.transformer4j.model.nn.SublayerConnection;

/**
 * One decoder layer (paper Figure 1, right): masked self-attention, encoder-decoder attention (queries from
 * the decoder, keys and values from the encoder's output), then feed-forward; each in a residual connection.
 */
public final class DecoderLayer {

    private final Backend backend;
    private final MultiHeadAttention selfAttention;
    private final SublayerConnection selfAttentionConnection;
    private final MultiHeadAttention crossAttention;
    private final SublayerConnection crossAttentionConnection;
    private final FeedForward feedForward;
    private final SublayerConnection feedForwardConnection;

    DecoderLayer(Backend backend, MultiHeadAttention selfAttention, SublayerConnection selfAttentionConnection,
            MultiHeadAttention crossAttention, SublayerConnection crossAttentionConnection, FeedForward feedForward,
            SublayerConnection feedForwardConnection) {
        this.backend = backend;
        this.selfAttention = selfAttention;
        this.selfAttentionConnection = selfAttentionConnection;
        this.crossAttention = crossAttention;
        this.crossAttentionConnection = crossAttentionConnection;
        this.feedForward = feedForward;
        this.feedForwardConnection = feedForwardConnection;
    }

    public record Activations(SublayerConnection.Step selfStep, MultiHeadAttention.Activations selfAttention,
            SublayerConnection.Step crossStep, MultiHeadAttention.Activations crossAttention,
            SublayerConnection.Step feedForwardStep, FeedForward.Activations feedForward) {

        public Tensor output() {
            return feedForwardStep.output();
        }

        /** Frees what the layer created (its output included, not the encoder output), once its backward is done. */
        public void release() {
            selfAttention.release();
            selfStep.release();
            crossAttention.release();
            crossStep.release();
            feedForward.release();
            feedForwardStep.release();
        }
    }

    /**
     * @param x          {@code (B·T, d)}
     * @param memory     the encoder's output {@code (B·S, d)}
     * @param causalMask hides future target positions
     * @param sourceMask hides the source padding
     */
    public Activations forward(Tensor x, Tensor memory, int batch, int targetLength, int sourceLength,
            AttentionMask causalMask, AttentionMask sourceMask, ForwardContext context) {
        SublayerConnection.Step s = selfAttentionConnection.begin(x, context);
        Tensor in = s.sublayerInput();
        MultiHeadAttention.Activations self = selfAttention.forward(in, in, batch, targetLength, targetLength, causalMask);
        s.finish(self.output());

        SublayerConnection.Step c = crossAttentionConnection.begin(s.output(), context);
        MultiHeadAttention.Activations cross = crossAttention.forward(c.sublayerInput(), memory, batch, targetLength,
                sourceLength, sourceMask);
        c.finish(cross.output());

        SublayerConnection.Step f = feedForwardConnection.begin(c.output(), context);
        FeedForward.Activations ffn = feedForward.forward(f.sublayerInput());
        f.finish(ffn.output());
        return new Activations(s, self, c, cross, f, ffn);
    }

    /**
     * The output of one incremental step, the self-attention's keys and values up to and including it, and the
     * encoder-decoder attention weights {@code (sentences, H, group, S)} when they were asked for (else null).
     */
    record StepOutput(Tensor output, MultiHeadAttention.KeyValues selfKeyValues, Tensor crossWeights) {
    }

    /**
     * One incremental decoding step (inference only): {@code x} holds one new position per row
     * {@code (sentences·group, d)}; self-attention sees {@code past} (null at the first step) and the new
     * position; encoder-decoder attention sees {@code memory} {@code (sentences, H, S, d_k)}, shared by the
     * {@code group} rows of each sentence. Neither {@code past} nor {@code memory} is closed. With
     * {@code keepCrossWeights} the encoder-decoder attention weights come back too (what a coverage penalty sums).
     */
    StepOutput step(Tensor x, MultiHeadAttention.KeyValues past, MultiHeadAttention.KeyValues memory, int sentences,
            int group, AttentionMask sourceMask, boolean keepCrossWeights) {
        ForwardContext inference = ForwardContext.inference();
        int rows = sentences * group;
        SublayerConnection.Step s = selfAttentionConnection.begin(x, inference);
        Tensor in = s.sublayerInput();
        MultiHeadAttention.KeyValues now = selfAttention.keyValues(in, rows, 1);
        MultiHeadAttention.KeyValues all = now;
        if (past != null) {
            all = selfAttention.append(past, now);
            now.close();
        }
        // No mask: every cached position is in the past of the new one.
        MultiHeadAttention.Attended self = selfAttention.attend(in, all, rows, 1, null);
        self.weights().close();
        s.finish(self.output());

        SublayerConnection.Step c = crossAttentionConnection.begin(s.output(), inference);
        MultiHeadAttention.Attended cross = crossAttention.attend(c.sublayerInput(), memory, sentences, group, sourceMask);
        if (!keepCrossWeights) {
            cross.weights().close();
        }
        c.finish(cross.output());

        SublayerConnection.Step f = feedForwardConnection.begin(c.output(), inference);
        FeedForward.Activations ffn = feedForward.forward(f.sublayerInput());
        f.finish(ffn.output());
        return new StepOutput(f.output(), all, keepCrossWeights ? cross.weights() : null);
    }

    /** The encoder-decoder attention's keys and values of the encoder output {@code (B·S, d)}. */
    MultiHeadAttention.KeyValues memoryKeyValues(Tensor memory, int batch, int sourceLength) {
        return crossAttention.keyValues(memory, batch, sourceLength);
    }

    /**
     * Returns the gradient of the layer's input, adds the gradient of the encoder output to
     * {@code dMemory}, and accumulates the parameters' gradients. The layer's activations and the backward
     * pass's temporaries are freed on return.
     */
    public Tensor backward(Activations act, Tensor dOut, Tensor dMemory) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor dFfnOut = act.feedForwardStep().sublayerOutputGradient(dOut);
            Tensor dAfterCross = act.feedForwardStep().inputGradient(feedForward.backward(act.feedForward(), dFfnOut));

            Tensor dCrossOut = act.crossStep().sublayerOutputGradient(dAfterCross);
            MultiHeadAttention.Gradients cross = crossAttention.backward(act.crossAttention(), dCrossOut);
            backend.addInPlace(dMemory, cross.keyValueInput(), 1f);
            Tensor dAfterSelf = act.crossStep().inputGradient(cross.queryInput());

            Tensor dSelfOut = act.selfStep().sublayerOutputGradient(dAfterSelf);
            MultiHeadAttention.Gradients self = selfAttention.backward(act.selfAttention(), dSelfOut);
            backend.addInPlace(self.queryInput(), self.keyValueInput(), 1f);
            Tensor dx = scope.keep(act.selfStep().inputGradient(self.queryInput()));
            act.release();
            return dx;
        }
    }
}
