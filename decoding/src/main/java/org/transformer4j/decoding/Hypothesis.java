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

    /**
     * The text on one line, each line break ({@code \r\n}, {@code \r}, {@code \n}) made a space: what a line-based
     * output (one line per input line) writes. A model can emit the byte tokens of a line break; an undertrained one
     * does, and the file would no longer be aligned with its input.
     */
    public String textOnOneLine() {
        return onOneLine(text);
    }

    static String onOneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    }
}
