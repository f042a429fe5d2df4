package org.transformer4j.decoding.search;

import java.util.Arrays;

/**
 * A hand-written model that loves to loop: after token {@code x} it prefers {@code next(x)}, on the cycle
 * 3 → 4 → 5 → 3 (and {@code <bos>} → 3), so left alone every search emits "3 4 5 3 4 5 ..." up to the length limit.
 * Its logits do not depend on the row's past beyond the last token, so what stops the loop is the search's options.
 * Ids: 0 padding, 1 {@code <bos>}, 2 {@code <eos>}, 3..{@code vocab-1} words.
 *
 * <p>Its attention is fixed: every step of every row looks at a source of 3 tokens with weights {@link #ATTENTION}.
 */
final class LoopingStepModel implements StepModel {

    static final int BOS = 1;
    static final int EOS = 2;
    static final float[] ATTENTION = {0.5f, 0.25f, 0.25f};

    private final int vocab;
    private final int group;
    private int rows;
    private final float[] buffer;

    LoopingStepModel(int sentences, int group, int vocab) {
        this.vocab = vocab;
        this.group = group;
        this.rows = sentences * group;
        this.buffer = new float[rows * vocab];
    }

    /**
     * The logits after token {@code last}: the loop's next token 6, word {@code v} otherwise {@link #word(int, int)}
     * (from 1 down to below 0: logits of both signs), {@code <eos>} −1, padding and {@code <bos>} −∞.
     */
    static void logits(int last, float[] out, int offset, int vocab) {
        out[offset] = Float.NEGATIVE_INFINITY; // padding
        out[offset + BOS] = Float.NEGATIVE_INFINITY;
        out[offset + EOS] = -1f;
        for (int v = 3; v < vocab; v++) {
            out[offset + v] = word(v, vocab);
        }
        out[offset + next(last)] = 6f;
    }

    static float word(int v, int vocab) {
        return 1f - 2f * (v - 3) / (vocab - 3);
    }

    static int next(int last) {
        return last == BOS || last == 5 ? 3 : last == 3 ? 4 : last == 4 ? 5 : 3;
    }

    @Override
    public int vocabularySize() {
        return vocab;
    }

    @Override
    public int group() {
        return group;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public float[] stepLogits(int[] tokens) {
        for (int r = 0; r < rows; r++) {
            logits(tokens[r], buffer, r * vocab, vocab);
        }
        return buffer;
    }

    @Override
    public float[] step(int[] tokens) {
        float[] lp = stepLogits(tokens);
        for (int r = 0; r < rows; r++) {
            TokenPenalties.logSoftmax(lp, r * vocab, vocab);
        }
        return lp;
    }

    @Override
    public float[][] attention() {
        float[][] a = new float[rows][];
        Arrays.setAll(a, r -> ATTENTION.clone());
        return a;
    }

    @Override
    public void select(int[] sentences, int[] rows) {
        this.rows = rows.length;
    }

    @Override
    public void close() {
    }
}
