package org.transformer4j.decoding;

/**
 * One translation of a sentence.
 *
 * @param text           the detokenised output
 * @param tokens         its target token ids (no {@code <bos>}/{@code <eos>})
 * @param logProbability the model's log-probability of the tokens followed by {@code <eos>}
 * @param score          the log-probability under the length penalty, what the search ranked by
 */
public record Hypothesis(String text, int[] tokens, double logProbability, double score) {
}
