package org.transformer4j.decoding.search;

/**
 * The GNMT length penalty (Wu et al. 2016, eq. 14), which the Transformer paper uses with α = 0.6: a finished
 * hypothesis of {@code n} tokens, its {@code <eos>} included, with log-probability {@code log P} scores
 * <pre>
 *     score = log P / lp(n),    lp(n) = ((5 + n) / 6)^α
 * </pre>
 * α = 0 ranks by log-probability alone (which favours short outputs); larger α favours longer ones.
 */
public record LengthPenalty(double alpha) {

    public static final LengthPenalty NONE = new LengthPenalty(0);

    public LengthPenalty {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("the length penalty must be a finite number, not " + alpha);
        }
    }

    /** lp(n) for a hypothesis of {@code length} tokens, {@code <eos>} included. */
    public double divisor(int length) {
        return alpha == 0 ? 1 : Math.pow((5.0 + length) / 6.0, alpha);
    }

    /** The score of a finished hypothesis. */
    public double score(double logProbability, int length) {
        return logProbability / divisor(length);
    }

    /**
     * The best score a hypothesis with {@code logProbability} so far can still reach if it ends with a length
     * in {@code [minLength, maxLength]}: more tokens only lower the log-probability, and lp is monotonic in the
     * length, so the bound is at one end of the range.
     */
    public double bestReachable(double logProbability, int minLength, int maxLength) {
        return Math.max(score(logProbability, minLength), score(logProbability, Math.max(minLength, maxLength)));
    }
}
