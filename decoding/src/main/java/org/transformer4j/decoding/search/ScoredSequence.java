package org.transformer4j.decoding.search;

/**
 * One finished output of a search, in token ids.
 *
 * @param tokens         the output without {@code <bos>} and {@code <eos>} (a forced prefix included)
 * @param logProbability the model's log-probability of the tokens followed by {@code <eos>}
 * @param score          the log-probability under the length penalty (what searches rank by)
 */
public record ScoredSequence(int[] tokens, double logProbability, double score) {
}
