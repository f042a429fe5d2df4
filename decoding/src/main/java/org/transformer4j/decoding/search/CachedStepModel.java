package org.transformer4j.decoding.search;

import java.util.List;

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

    public CachedStepModel(Transformer model, List<int[]> sources, int group) {
        this.model = model;
        this.state = model.startDecoding(TokenBatch.of(sources, model.config().padId()), group);
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
            return logProbabilities.copy(model.backend(), model.logProbabilities(state.step(tokens)));
        }
    }

    @Override
    public TopK stepTop(int[] tokens, int k) {
        try (TensorScope scope = TensorScope.open()) {
            return model.backend().topK(model.logProbabilities(state.step(tokens)), k);
        }
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
