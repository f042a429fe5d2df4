package org.transformer4j.decoding.search;

/**
 * The penalties that reshape each step's distribution from the hypothesis so far: the {@link RepetitionPenalty}
 * and {@link NoRepeatNgram}, applied, as CTranslate2 applies its logits processors, to the logits before the
 * log-softmax. So the reported log-probability of a hypothesis is its log-probability under the distributions the
 * search drew from, renormalised after the penalties, and {@link TeacherForcedScorer} reproduces it from the same
 * code ({@link #logProbabilities(float[], int, int, int[], int)}).
 */
public record TokenPenalties(NoRepeatNgram noRepeatNgram, RepetitionPenalty repetition)
        implements java.io.Serializable {

    public static final TokenPenalties NONE = new TokenPenalties(NoRepeatNgram.NONE, RepetitionPenalty.NONE);

    public TokenPenalties(int noRepeatNgram, double repetitionPenalty) {
        this(new NoRepeatNgram(noRepeatNgram), new RepetitionPenalty(repetitionPenalty));
    }

    /** Whether any penalty is on: only then does a search need each step's logits (whole rows, on the host). */
    public boolean active() {
        return noRepeatNgram.active() || repetition.active();
    }

    /**
     * Turns the logits {@code row[offset .. offset+vocab)} of a hypothesis whose output so far is
     * {@code history[0 .. length)} into its penalised log-probabilities, in place.
     */
    public void logProbabilities(float[] row, int offset, int vocab, int[] history, int length) {
        repetition.apply(row, offset, history, length);
        noRepeatNgram.ban(row, offset, history, length);
        logSoftmax(row, offset, vocab);
    }

    /**
     * Teacher forcing: {@code logits} holds {@code rows} rows, row {@code t} predicting {@code target[t]} after
     * {@code target[0 .. t)}; each becomes its penalised log-probabilities, in place.
     */
    public void logProbabilities(float[] logits, int rows, int vocab, int[] target) {
        for (int t = 0; t < rows; t++) {
            logProbabilities(logits, t * vocab, vocab, target, Math.min(t, target.length));
        }
    }

    /** {@code x − log Σ exp(x)} over one row, in double precision (a −∞ stays −∞). */
    static void logSoftmax(float[] row, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            max = Math.max(max, row[i]);
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += Math.exp(row[i] - (double) max);
        }
        double logSum = max + Math.log(sum);
        for (int i = offset; i < offset + length; i++) {
            row[i] = (float) (row[i] - logSum);
        }
    }
}
