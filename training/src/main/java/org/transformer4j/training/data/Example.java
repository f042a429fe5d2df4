package org.transformer4j.training.data;

/** One encoded sentence pair, without {@code <bos>} or {@code <eos>}. */
public record Example(int[] source, int[] target) {
}
