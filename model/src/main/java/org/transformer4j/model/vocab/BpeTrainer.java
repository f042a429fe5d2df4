package org.transformer4j.model.vocab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a {@link Tokenizer} from sentences with byte-pair encoding. The caller decides what the sentences are:
 * both sides of a parallel corpus for a joint vocabulary, one side for a separate one.
 *
 * <ol>
 * <li>The sentences are split into words exactly as {@link Tokenizer#encode} splits them (normalised, "▁" in
 * front of each word), and the distinct words are counted.</li>
 * <li>The alphabet is every character of those words. When it would not leave room in {@code vocabSize} (260
 * ids go to the special and byte tokens), only the most frequent characters are kept (ties: lower code point);
 * the others are encoded through byte fallback and never merged. The alphabet is numbered in code point
 * order.</li>
 * <li>Merges are learned, most frequent pair first, until the vocabulary has {@code vocabSize} tokens or no pair
 * of tokens occurs {@code minFrequency} times; the result is smaller than asked for when the corpus runs out
 * of pairs.</li>
 * </ol>
 * The same sentences always give the same tokenizer (and the same tokenizer.json, byte for byte).
 */
public final class BpeTrainer {

    private final int vocabSize;
    private final int minFrequency;

    /**
     * @param vocabSize the number of tokens wanted, specials and byte tokens included (at least 260)
     * @param minFrequency the least number of occurrences for a pair to be merged (at least 1)
     */
    public BpeTrainer(int vocabSize, int minFrequency) {
        if (vocabSize < ByteTokens.END_ID) {
            throw new IllegalArgumentException("a vocabulary needs at least " + ByteTokens.END_ID
                    + " tokens (4 special, 256 byte tokens), not " + vocabSize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("the minimum pair frequency must be at least 1, not " + minFrequency);
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
    }

    public Tokenizer train(Iterable<String> sentences) {
        Map<String, long[]> wordCounts = new HashMap<>();
        PreTokenizer.Sink counter = new PreTokenizer.Sink() {
            @Override
            public void special(int id) {
            }

            @Override
            public void word(String word) {
                wordCounts.computeIfAbsent(word, w -> new long[1])[0]++;
            }
        };
        for (String sentence : sentences) {
            PreTokenizer.split(sentence, counter);
        }

        Vocabulary vocabulary = new Vocabulary();
        Tokenizer.SPECIAL_TOKENS.forEach(vocabulary::add);
        for (int b = 0; b < 256; b++) {
            vocabulary.add(ByteTokens.name(b));
        }
        alphabet(wordCounts).forEach(cp -> vocabulary.add(Character.toString(cp)));

        int[][] words = new int[wordCounts.size()][];
        long[] counts = new long[wordCounts.size()];
        int w = 0;
        for (Map.Entry<String, long[]> e : wordCounts.entrySet()) {
            words[w] = e.getKey().codePoints().map(cp -> {
                int id = vocabulary.id(Character.toString(cp));
                return id < 0 ? MergeLearner.NO_TOKEN : id;
            }).toArray();
            counts[w++] = e.getValue()[0];
        }
        List<Merge> merges = new MergeLearner(words, counts).learn(vocabulary, vocabSize, minFrequency);
        return new Tokenizer(vocabulary.tokens(), merges);
    }

    /** The characters to keep, in code point order. */
    private List<Integer> alphabet(Map<String, long[]> wordCounts) {
        Map<Integer, Long> frequency = new HashMap<>();
        wordCounts.forEach((word, count) -> word.codePoints().forEach(cp -> frequency.merge(cp, count[0], Long::sum)));
        List<Integer> kept = new ArrayList<>(frequency.keySet());
        kept.sort(Comparator.comparing((Integer cp) -> frequency.get(cp)).reversed().thenComparing(cp -> cp));
        kept = new ArrayList<>(kept.subList(0, Math.min(kept.size(), vocabSize - ByteTokens.END_ID)));
        kept.sort(Comparator.naturalOrder());
        return kept;
    }
}
