package org.transformer4j.decoding.search;

/**
 * fairseq's and CTranslate2's {@code no_repeat_ngram_size}: a token that would complete an n-gram of {@code size}
 * tokens already present in the hypothesis (the output so far, not {@code <bos>}) gets probability 0. With size 1
 * no token may occur twice; 0 is off.
 */
public record NoRepeatNgram(int size) implements java.io.Serializable {

    public static final NoRepeatNgram NONE = new NoRepeatNgram(0);

    public NoRepeatNgram {
        if (size < 0) {
            throw new IllegalArgumentException("--no-repeat-ngram must be 0 (off) or a positive n-gram size, not " + size);
        }
    }

    public boolean active() {
        return size > 0;
    }

    /**
     * Sets to −∞ the logit of every token that would repeat an n-gram of {@code history[0 .. length)}: wherever
     * the last {@code size − 1} tokens occurred before, the token that followed them then.
     */
    public void ban(float[] logits, int offset, int[] history, int length) {
        int n = size;
        if (n == 0 || length < n - 1) {
            return;
        }
        int suffix = length - (n - 1); // where the last n-1 tokens start
        for (int i = 0; i + n - 1 < length; i++) {
            if (matches(history, i, suffix, n - 1)) {
                logits[offset + history[i + n - 1]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The first repeated n-gram of {@code tokens} (its start), or -1: a forced prefix must not hold one. */
    public int firstRepeat(int[] tokens) {
        if (size == 0) {
            return -1;
        }
        for (int j = 1; j + size <= tokens.length; j++) {
            for (int i = 0; i < j; i++) {
                if (matches(tokens, i, j, size)) {
                    return j;
                }
            }
        }
        return -1;
    }

    private static boolean matches(int[] tokens, int a, int b, int length) {
        for (int k = 0; k < length; k++) {
            if (tokens[a + k] != tokens[b + k]) {
                return false;
            }
        }
        return true;
    }
}
