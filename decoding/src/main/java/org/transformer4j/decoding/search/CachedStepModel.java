package org.transformer4j.decoding.search;

import java.util.List;

import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.api.TopK;
import org.transformer4j.model.DecoderState;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;

/**
 * Incremental decoding: the encoder runs once, every decoder layer's encoder-decoder keys and values are
 * computed once and shared by a sentence's rows, and the self-attention keeps a key/value cache, so a step
 * costs one new position per row (see {@link DecoderState}).
 */
public final class CachedStepModel implements StepModel {

    private final Transformer model;
    private final DecoderState state;
    private final HostBuffer logProbabilities = new HostBuffer();
    private final boolean keepAttention;
    private float[][] attention;

    public CachedStepModel(Transformer model, List<int[]> sources, int group) {
        this(model, sources, group, false);
    }

    /** @param keepAttention whether each step also copies its attention to the host, for {@link #attention()} */
    public CachedStepModel(Transformer model, List<int[]> sources, int group, boolean keepAttention) {
        this.model = model;
        this.state = model.startDecoding(TokenBatch.of(sources, model.config().padId()), group);
        this.keepAttention = keepAttention;
    }

    @Override
    public int vocabularySize() {
        return model.config().tgtVocabSize();
    }

    @Override
    public int group() {
        return state.group();
    }

    @Override
    public int rows() {
        return state.rows();
    }

    @Override
    public float[] step(int[] tokens) {
        try (TensorScope scope = TensorScope.open()) {
            return logProbabilities.copy(model.backend(), model.logProbabilities(advance(tokens)));
        }
    }

    @Override
    public TopK stepTop(int[] tokens, int k) {
        try (TensorScope scope = TensorScope.open()) {
            return model.backend().topK(model.logProbabilities(advance(tokens)), k);
        }
    }

    @Override
    public float[] stepLogits(int[] tokens) {
        try (TensorScope scope = TensorScope.open()) {
            return logProbabilities.copy(model.backend(), model.logits(advance(tokens)));
        }
    }

    /** One decoder step, inside the caller's scope: the decoder output, and the attention kept on the host. */
    private Tensor advance(int[] tokens) {
        if (!keepAttention) {
            return state.step(tokens);
        }
        DecoderState.Step step = state.step(tokens, true);
        Tensor w = step.crossAttention(); // (sentences, H, group, S)
        int heads = w.shape().dim(1);
        int keys = w.shape().dim(3);
        float[] host = model.backend().toHost(w);
        int group = state.group();
        attention = new float[state.rows()][];
        for (int r = 0; r < attention.length; r++) {
            int s = r / group;
            attention[r] = HeadAverage.of(host, heads, group, keys, s, r % group, state.sourceLength(s));
        }
        return step.output();
    }

    @Override
    public float[][] attention() {
        if (attention == null) {
            return StepModel.super.attention();
        }
        return attention;
    }

    @Override
    public void select(int[] sentences, int[] rows) {
        state.select(sentences, rows);
    }

    @Override
    public void close() {
        state.close();
    }
}
