package org.transformer4j.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Encoded sentence pairs and what was left out: empty lines on either side and pairs longer than the
 * maximum length are skipped and counted, never dropped silently.
 *
 * @param list           the pairs kept, in file order
 * @param read           pairs read
 * @param skippedEmpty   pairs with an empty side
 * @param skippedTooLong pairs with a side longer than {@code maxLength} tokens
 * @param lines          the text line of each kept pair, from 0
 */
public record Examples(List<Example> list, int read, int skippedEmpty, int skippedTooLong, int[] lines) {

    public Examples {
        list = List.copyOf(list);
        lines = lines.clone();
        if (lines.length != list.size()) {
            throw new IllegalArgumentException(list.size() + " pairs but " + lines.length + " line numbers");
        }
    }

    /** Pairs that are the whole text, in order. */
    public Examples(List<Example> list, int read, int skippedEmpty, int skippedTooLong) {
        this(list, read, skippedEmpty, skippedTooLong, IntStream.range(0, list.size()).toArray());
    }

    public static Examples encode(ParallelText text, Function<String, int[]> sourceEncoder,
            Function<String, int[]> targetEncoder, int maxLength) {
        List<Example> kept = new ArrayList<>(text.size());
        int[] lines = new int[text.size()];
        int empty = 0;
        int tooLong = 0;
        for (int i = 0; i < text.size(); i++) {
            String s = text.source().get(i);
            String t = text.target().get(i);
            if (s.isBlank() || t.isBlank()) {
                empty++;
                continue;
            }
            int[] src = sourceEncoder.apply(s);
            int[] tgt = targetEncoder.apply(t);
            if (src.length == 0 || tgt.length == 0) {
                empty++;
            } else if (src.length > maxLength || tgt.length > maxLength) {
                tooLong++;
            } else {
                lines[kept.size()] = i;
                kept.add(new Example(src, tgt));
            }
        }
        return new Examples(kept, text.size(), empty, tooLong, Arrays.copyOf(lines, kept.size()));
    }

    /** The text line of kept pair {@code i}. */
    public int line(int i) {
        return lines[i];
    }

    @Override
    public int[] lines() {
        return lines.clone();
    }

    /** Pairs kept. */
    public int size() {
        return list.size();
    }

    /** Source and target tokens of the kept pairs. */
    public long tokens() {
        return list.stream().mapToLong(e -> e.source().length + e.target().length).sum();
    }

    /** "30388 pairs read, 30380 kept, 0 empty and 8 longer than the maximum skipped". */
    public String summary(int maxLength) {
        return read + " pairs read, " + size() + " kept, " + skippedEmpty + " with an empty side and " + skippedTooLong
                + " longer than " + maxLength + " tokens skipped";
    }
}
