package org.transformer4j.decoding.search;

/**
 * Watches a {@link BeamSearch} decide, one candidate at a time: what {@code t4j illustrate} draws as the search
 * tree. A search with no observer pays nothing for this hook (a null check per candidate), so decoding stays as
 * lean as before.
 *
 * <p>At each step of each sentence the search ranks the best {@code 2K} extensions of its live hypotheses, and
 * reports every one of them, best first, with what became of it.
 */
public interface BeamObserver {

    /** What became of a candidate. */
    enum Outcome {
        /** among the best {@code K} that do not end: a hypothesis of the next beam */
        KEPT,
        /** an {@code <eos>} among the best {@code K}: a finished hypothesis */
        FINISHED,
        /** ranked out: not among the best {@code K} of its kind */
        PRUNED
    }

    /**
     * One candidate of sentence {@code sentence} at step {@code step} (0: the first token after {@code <bos>}).
     *
     * @param rank           its rank among the step's candidates, 0 the best
     * @param parentSlot     the beam slot (0..K-1) of the hypothesis it extends; slots are those of the previous
     *                       {@link Outcome#KEPT} reports of this sentence (at step 0: slot 0, the empty hypothesis)
     * @param token          the token it adds
     * @param logProbability the log-probability of the whole hypothesis with that token
     * @param outcome        what became of it
     * @param slot           for {@link Outcome#KEPT}, its slot in the next beam; otherwise -1
     * @param score          for {@link Outcome#FINISHED}, its score under the length penalty (plus the coverage
     *                       penalty when on); otherwise NaN
     */
    void candidate(int sentence, int step, int rank, int parentSlot, int token, double logProbability, Outcome outcome,
            int slot, double score);

    /** Sentence {@code sentence} is done after step {@code step}: its live hypotheses are dropped. */
    default void done(int sentence, int step) {
    }
}
