package org.transformer4j.decoding.search;

import org.transformer4j.api.TopK;

/**
 * What a search needs from a model: the next-token log-probabilities of every row, one step at a time. Rows
 * are sentence-major, {@link #group()} rows per sentence (1 for greedy decoding, the beam width for beam
 * search, the number of samples for sampling). Implementations: {@link CachedStepModel} (incremental, with a
 * key/value cache), {@link RecomputingStepModel} (the whole prefix every step, the reference) and
 * {@link EnsembleStepModel} (several models averaged).
 */
public interface StepModel extends AutoCloseable {

    /** The target vocabulary size: the width of a row of log-probabilities. */
    int vocabularySize();

    /** Rows per sentence. */
    int group();

    /** The number of rows now: sentences still decoded × {@link #group()}. */
    int rows();

    /**
     * Feeds one token per row ({@code <bos>} at the first step) and returns the log-probabilities of the next
     * token, row-major {@code rows × vocabularySize}, on the host, at the start of an array that may be longer.
     * The array belongs to the model and is overwritten by the next step: a search reads it before it steps
     * again (reusing one array keeps a step free of megabytes of garbage).
     */
    float[] step(int[] tokens);

    /**
     * Feeds one token per row, as {@link #step} does, and returns only each row's {@code k} most likely next
     * tokens with their log-probabilities, as {@link TopK#of} orders them (most likely first, equal values in token
     * order). What greedy decoding and beam search need, without copying whole rows of the vocabulary to the host
     * (a GPU backend keeps them on the device); this default does copy them, through {@link #step}.
     */
    default TopK stepTop(int[] tokens, int k) {
        float[] lp = step(tokens);
        return TopK.of(lp, rows(), vocabularySize(), k);
    }

    /**
     * Feeds one token per row, as {@link #step} does, and returns each row's logits: the scores of the final linear
     * before the softmax, row-major {@code rows × vocabularySize} on the host (the array belongs to the model, as in
     * {@link #step}). What {@link PenalizedStepModel} reshapes: a {@link RepetitionPenalty} depends on a logit's sign,
     * which log-probabilities no longer show. Models of one network have them; an ensemble has none.
     */
    default float[] stepLogits(int[] tokens) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no logits of its own");
    }

    /**
     * Where each row looked in its source at the last step: the last decoder layer's encoder-decoder attention,
     * averaged over the heads, one array per row over that row's source tokens (without padding). What a
     * {@link CoveragePenalty} sums. Only a model opened to keep it has it (see {@link Search#needsAttention()}).
     */
    default float[][] attention() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not keep the attention");
    }

    /**
     * Keeps the given sentences and rows, in the given order: {@code sentences[s]} is the old index of new
     * sentence {@code s}, {@code rows[r]} the old row that new row {@code r} continues; row {@code r} must
     * belong to sentence {@code sentences[r / group]}.
     */
    void select(int[] sentences, int[] rows);

    @Override
    void close();
}
