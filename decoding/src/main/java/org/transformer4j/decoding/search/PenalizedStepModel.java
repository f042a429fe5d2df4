package org.transformer4j.decoding.search;

import java.util.Arrays;

/**
 * A {@link StepModel} whose distributions are reshaped by {@link TokenPenalties}: it keeps each row's output so far
 * (what was fed after {@code <bos>}, following {@link #select}), takes the inner model's logits of each step, applies
 * the penalties to them and normalises them again. Searches need no change: they see the penalised
 * log-probabilities, through whole rows on the host ({@link #stepTop} selects from {@link #step}).
 *
 * <p>An ensemble penalises each member before averaging their log-probabilities: the penalty needs the sign of each
 * model's own logits.
 */
public final class PenalizedStepModel implements StepModel {

    private final StepModel inner;
    private final TokenPenalties penalties;
    private int[][] histories; // per row, the tokens fed after <bos>; all rows have `length` of them
    private int length;
    private int capacity = 16;
    private boolean started;

    public PenalizedStepModel(StepModel inner, TokenPenalties penalties) {
        this.inner = inner;
        this.penalties = penalties;
        this.histories = new int[inner.rows()][capacity];
    }

    @Override
    public int vocabularySize() {
        return inner.vocabularySize();
    }

    @Override
    public int group() {
        return inner.group();
    }

    @Override
    public int rows() {
        return inner.rows();
    }

    @Override
    public float[] step(int[] tokens) {
        float[] logits = inner.stepLogits(tokens);
        if (started) { // the first step feeds <bos>, which is no part of the hypothesis
            if (length == capacity) {
                capacity *= 2;
                for (int r = 0; r < histories.length; r++) {
                    histories[r] = Arrays.copyOf(histories[r], capacity);
                }
            }
            for (int r = 0; r < histories.length; r++) {
                histories[r][length] = tokens[r];
            }
            length++;
        }
        started = true;
        int vocab = vocabularySize();
        for (int r = 0; r < histories.length; r++) {
            penalties.logProbabilities(logits, r * vocab, vocab, histories[r], length);
        }
        return logits;
    }

    @Override
    public float[] stepLogits(int[] tokens) {
        throw new UnsupportedOperationException("a penalised model gives log-probabilities, not logits");
    }

    @Override
    public float[][] attention() {
        return inner.attention();
    }

    @Override
    public void select(int[] sentences, int[] rows) {
        int[][] kept = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            kept[r] = histories[rows[r]].clone(); // a row continued twice gets two histories
        }
        histories = kept;
        inner.select(sentences, rows);
    }

    @Override
    public void close() {
        inner.close();
    }
}
