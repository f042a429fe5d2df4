package org.transformer4j.decoding.search;

/**
 * One finished output of a search, in token ids.
 *
 * @param tokens         the output without {@code <bos>} and {@code <eos>} (a forced prefix included)
 * @param logProbability the model's log-probability of the tokens followed by {@code <eos>} (under the
 *                       {@link TokenPenalties}, when on: the distributions the search chose from)
 * @param score          the log-probability under the length penalty, plus the {@link CoveragePenalty} when on
 *                       (what searches rank finished outputs by)
 */
public record ScoredSequence(int[] tokens, double logProbability, double score) {
}
