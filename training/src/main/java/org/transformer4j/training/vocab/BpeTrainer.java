package org.transformer4j.training.vocab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Learns a byte-pair-encoding vocabulary (Sennrich et al., 2016): start from the characters of the corpus and
 * repeatedly merge the most frequent adjacent pair of symbols into a new one, until the vocabulary has the
 * requested size.
 *
 * <p>Words ({@link Normalizer#words}) are counted once; pair counts are updated incrementally in the words that
 * contain the merged pair, so learning 8000 tokens from the bundled corpus takes seconds. Ties are broken by
 * the pair's ids (smaller first), so the same corpus always gives the same vocabulary. Characters seen fewer
 * than {@code minFrequency} times stay out of the alphabet: they are spelled in byte tokens.
 */
public final class BpeTrainer {

    private final int vocabSize;
    private final int minFrequency;

    public BpeTrainer(int vocabSize, int minFrequency) {
        int floor = Tokenizer.FIRST_BYTE + 256;
        if (vocabSize <= floor) {
            throw new IllegalArgumentException("the vocabulary size must exceed " + floor
                    + " (4 special and 256 byte tokens), got " + vocabSize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("the minimum frequency must be at least 1");
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
    }

    public Tokenizer train(Iterable<String> sentences) {
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String s : sentences) {
            for (String w : Normalizer.words(Normalizer.normalize(s))) {
                wordCounts.merge(w, 1, Integer::sum);
            }
        }
        // The alphabet: characters seen often enough, in code point order.
        TreeMap<Integer, Long> chars = new TreeMap<>();
        wordCounts.forEach((w, c) -> w.codePoints().forEach(cp -> chars.merge(cp, (long) c, Long::sum)));
        List<String> tokens = new ArrayList<>(Tokenizer.SPECIALS);
        for (int b = 0; b < 256; b++) {
            tokens.add(Tokenizer.byteToken(b));
        }
        Map<String, Integer> ids = new HashMap<>();
        chars.forEach((cp, count) -> {
            if (count >= minFrequency && tokens.size() < vocabSize) {
                ids.put(Character.toString(cp), tokens.size());
                tokens.add(Character.toString(cp));
            }
        });

        // Words as symbol arrays (−1 for a character outside the alphabet: it never merges), in a fixed order.
        List<String> wordList = new ArrayList<>(wordCounts.keySet());
        wordList.sort(null);
        int[][] words = new int[wordList.size()][];
        int[] freq = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            String word = wordList.get(w);
            words[w] = word.codePoints().map(cp -> ids.getOrDefault(Character.toString(cp), -1)).toArray();
            freq[w] = wordCounts.get(word);
        }
        PairCounts counts = new PairCounts(words, freq);
        List<String[]> merges = new ArrayList<>();
        while (tokens.size() < vocabSize) {
            long best = counts.best(minFrequency);
            if (best == PairCounts.NONE) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String joined = tokens.get(left) + tokens.get(right);
            // Two merge paths can spell the same token ("ab"+"c", "a"+"bc"): it keeps its first id.
            Integer existing = ids.get(joined);
            int merged = existing != null ? existing : tokens.size();
            if (existing == null) {
                ids.put(joined, merged);
                tokens.add(joined);
            }
            merges.add(new String[] {tokens.get(left), tokens.get(right)});
            counts.merge(left, right, merged);
        }
        return new Tokenizer(tokens, merges);
    }

    /** Counts of adjacent symbol pairs over all words, kept up to date as pairs are merged. */
    private static final class PairCounts {
        static final long NONE = Long.MIN_VALUE;

        private final int[][] words;
        private final int[] freq;
        private final Map<Long, Long> counts = new HashMap<>();
        private final Map<Long, List<Integer>> where = new HashMap<>();
        /** Candidates by (count desc, pair asc); stale entries are skipped when popped. */
        private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0]
                ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));

        PairCounts(int[][] words, int[] freq) {
            this.words = words;
            this.freq = freq;
            for (int w = 0; w < words.length; w++) {
                int[] s = words[w];
                for (int i = 0; i + 1 < s.length; i++) {
                    add(s[i], s[i + 1], freq[w], w);
                }
            }
            counts.forEach((p, c) -> queue.add(new long[] {c, p}));
        }

        private void add(int a, int b, long delta, int word) {
            if (a < 0 || b < 0) {
                return;
            }
            long p = Tokenizer.pair(a, b);
            long c = counts.merge(p, delta, Long::sum);
            if (delta > 0) {
                where.computeIfAbsent(p, k -> new ArrayList<>()).add(word);
            }
            if (c <= 0) {
                counts.remove(p);
            }
        }

        /** The most frequent pair with at least {@code minFrequency} occurrences, or {@link #NONE}. */
        long best(int minFrequency) {
            while (!queue.isEmpty()) {
                long[] top = queue.poll();
                long current = counts.getOrDefault(top[1], 0L);
                if (current == top[0]) {
                    return current >= minFrequency ? top[1] : NONE;
                }
                if (current > 0) {
                    queue.add(new long[] {current, top[1]});
                }
            }
            return NONE;
        }

        /** Replaces every (left, right) in every word holding it, left to right, and updates the counts. */
        void merge(int left, int right, int merged) {
            long p = Tokenizer.pair(left, right);
            List<Integer> holders = where.remove(p);
            counts.remove(p);
            if (holders == null) {
                return;
            }
            Map<Long, Boolean> touched = new HashMap<>();
            int lastWord = -1;
            for (int w : holders.stream().sorted().toList()) {
                if (w == lastWord) {
                    continue;
                }
                lastWord = w;
                int[] s = words[w];
                int f = freq[w];
                int[] out = new int[s.length];
                int n = 0;
                for (int i = 0; i < s.length; i++) {
                    if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                        int prev = n > 0 ? out[n - 1] : -1;
                        int next = i + 2 < s.length ? s[i + 2] : -1;
                        if (prev >= 0) {
                            add(prev, left, -f, w);
                            add(prev, merged, f, w);
                            touched.put(Tokenizer.pair(prev, merged), true);
                            touched.put(Tokenizer.pair(prev, left), true);
                        }
                        if (next >= 0) {
                            // The next pair may itself start another (left, right): it is handled as s[i+2] then.
                            add(right, next, -f, w);
                            add(merged, next, f, w);
                            touched.put(Tokenizer.pair(merged, next), true);
                            touched.put(Tokenizer.pair(right, next), true);
                        }
                        out[n++] = merged;
                        i++;
                    } else {
                        out[n++] = s[i];
                    }
                }
                words[w] = java.util.Arrays.copyOf(out, n);
            }
            counts.remove(p);
            for (long t : touched.keySet()) {
                Long c = counts.get(t);
                if (c != null && c > 0) {
                    queue.add(new long[] {c, t});
                }
            }
        }
    }
}
