package org.transformer4j.decoding.search;

/**
 * The repetition penalty of CTRL (Keskar et al. 2019) as CTranslate2 and Hugging Face apply it: before the softmax,
 * the logit of every token that already occurs in the hypothesis is divided by {@code P} if it is positive and
 * multiplied by {@code P} if it is negative, which makes that token less likely for {@code P > 1} whatever the sign
 * (dividing a negative logit would raise it). A token that occurs several times is penalised once. 1 is off.
 *
 * <p>It needs the logits themselves: a log-probability is always negative, so the sign that picks division or
 * multiplication is lost once the row is normalised (see {@link PenalizedStepModel}).
 */
public record RepetitionPenalty(double penalty) implements java.io.Serializable {

    public static final RepetitionPenalty NONE = new RepetitionPenalty(1);

    public RepetitionPenalty {
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("--repetition-penalty must be a positive number (1: off), not " + penalty);
        }
    }

    public boolean active() {
        return penalty != 1;
    }

    /**
     * Penalises, in {@code logits[offset .. offset+vocab)}, the tokens of {@code history[0 .. length)}.
     * All new values are computed from the old ones before any is written, so a repeated token is penalised once.
     */
    public void apply(float[] logits, int offset, int[] history, int length) {
        if (!active() || length == 0) {
            return;
        }
        float[] penalised = new float[length];
        for (int i = 0; i < length; i++) {
            float logit = logits[offset + history[i]];
            penalised[i] = (float) (logit > 0 ? logit / penalty : logit * penalty);
        }
        for (int i = 0; i < length; i++) {
            logits[offset + history[i]] = penalised[i];
        }
    }
}
