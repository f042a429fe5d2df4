package org.transformer4j.decoding.search;

import java.util.List;

/** A decoding strategy: turns a model's step-by-step log-probabilities into finished outputs. */
public interface Search {

    /** The rows each sentence needs in the {@link StepModel}: 1, the beam width, or the number of samples. */
    int group();

    /** Whether the search reads {@link StepModel#attention()} (beam search with a coverage penalty). */
    default boolean needsAttention() {
        return false;
    }

    /**
     * Decodes every sentence of {@code input} with {@code model} (whose rows it selects as sentences finish)
     * and returns, per sentence in input order, its outputs best first.
     */
    List<List<ScoredSequence>> run(StepModel model, SearchInput input);
}
