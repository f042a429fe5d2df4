package org.transformer4j.model;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of token sequences padded to one length: {@code ids} is row-major {@code (batchSize, length)}, and
 * {@code lengths[b]} says how many of row b's ids are real (the rest are padding).
 */
public record TokenBatch(int[] ids, int batchSize, int length, int[] lengths) {

    public TokenBatch {
        if (batchSize < 1 || length < 1 || ids.length != batchSize * length || lengths.length != batchSize) {
            throw new IllegalArgumentException("a token batch of " + batchSize + " × " + length + " needs that many ids ("
                    + ids.length + " given) and " + batchSize + " lengths (" + lengths.length + " given)");
        }
        for (int l : lengths) {
            if (l < 1 || l > length) {
                throw new IllegalArgumentException("sequence length " + l + " outside 1.." + length);
            }
        }
    }

    /** Pads {@code sequences} (each at least one id) with {@code padId} to the longest. */
    public static TokenBatch of(List<int[]> sequences, int padId) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a token batch needs at least one sequence");
        }
        int length = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        int[] ids = new int[sequences.size() * length];
        Arrays.fill(ids, padId);
        int[] lengths = new int[sequences.size()];
        for (int b = 0; b < sequences.size(); b++) {
            int[] s = sequences.get(b);
            System.arraycopy(s, 0, ids, b * length, s.length);
            lengths[b] = s.length;
        }
        return new TokenBatch(ids, sequences.size(), length, lengths);
    }

    public static TokenBatch of(int[] sequence) {
        return of(List.of(sequence), 0);
    }

    /** The position of every id in its row: {@code 0, 1, ..., length-1} repeated per row. */
    public int[] positions() {
        int[] p = new int[ids.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % length;
        }
        return p;
    }

    /** The number of real (non-padding) tokens. */
    public int tokens() {
        return Arrays.stream(lengths).sum();
    }

    /** Row b's real ids. */
    public int[] row(int b) {
        return Arrays.copyOfRange(ids, b * length, b * length + lengths[b]);
    }
}
