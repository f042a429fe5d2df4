package org.transformer4j.model.vocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The byte-pair-encoding loop over counted words: repeatedly merge the most frequent adjacent pair of tokens
 * into a new token, until the vocabulary is full or no pair is frequent enough.
 *
 * <p>Fast because nothing is recounted. Every pair keeps its count (weighted by word frequency) and the list of
 * words it occurs in; a merge visits only the words of its pair and applies the change in pair counts of each
 * word it rewrites. The next pair comes from a priority queue with lazy deletion: a pair whose count went down
 * is pushed again when its stale entry surfaces, a pair whose count went up is pushed at once, so the entry on
 * top whose count is current is the most frequent pair.
 *
 * <p>Deterministic: ties in count go to the pair with the smaller left token id, then the smaller right token
 * id (the alphabet is numbered in code point order, merged tokens in the order they were made).
 *
 * <p>A merge whose result spells a token the vocabulary already has (the same string reached by another pair,
 * or a special or byte token such as "&lt;0x41&gt;" met in the text) is skipped: every merge makes a new token,
 * and no learned token decodes as a byte.
 */
final class MergeLearner {

    /** Symbol id of a character left out of the alphabet: it takes part in no pair. */
    static final int NO_TOKEN = -1;

    private static final class PairStats {
        long count;
        IntList words = new IntList(4); // may hold a word twice, or one that lost the pair: checked on use
        int lastWordAdded = -1;
        int lastGrownAt = -1;
        boolean skipped;
    }

    private record Candidate(long pair, long count) {
    }

    private static final Comparator<Candidate> MOST_FREQUENT_FIRST = Comparator.comparingLong(Candidate::count)
            .reversed().thenComparingLong(Candidate::pair);

    private final int[][] words;
    private final long[] wordCounts;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(MOST_FREQUENT_FIRST);
    private final int[] lastVisitedAt;
    private final List<PairStats> grown = new ArrayList<>();
    private final List<Long> grownKeys = new ArrayList<>();

    /**
     * @param words each distinct word as the ids of its characters ({@link #NO_TOKEN} for one outside the
     *        alphabet); rewritten in place as merges are made
     * @param wordCounts how often each word occurs
     */
    MergeLearner(int[][] words, long[] wordCounts) {
        this.words = words;
        this.wordCounts = wordCounts;
        this.lastVisitedAt = new int[words.length];
        Arrays.fill(lastVisitedAt, -1);
        for (int w = 0; w < words.length; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                if (s[i] != NO_TOKEN && s[i + 1] != NO_TOKEN) {
                    PairStats stats = pairs.computeIfAbsent(Merge.key(s[i], s[i + 1]), k -> new PairStats());
                    stats.count += wordCounts[w];
                    addWord(stats, w);
                }
            }
        }
        pairs.forEach((pair, stats) -> queue.add(new Candidate(pair, stats.count)));
    }

    /**
     * Learns merges, adding each new token to {@code vocabulary}, until it holds {@code vocabSize} tokens or the
     * most frequent pair occurs fewer than {@code minFrequency} times.
     *
     * @return the merges in the order learned
     */
    List<Merge> learn(Vocabulary vocabulary, int vocabSize, long minFrequency) {
        List<Merge> merges = new ArrayList<>();
        while (vocabulary.size() < vocabSize && !queue.isEmpty()) {
            Candidate top = queue.poll();
            PairStats stats = pairs.get(top.pair());
            if (stats.skipped) {
                continue;
            }
            if (top.count() != stats.count) {
                if (stats.count > 0 && stats.count < top.count()) {
                    queue.add(new Candidate(top.pair(), stats.count));
                }
                continue; // otherwise a newer entry with the current count is queued already
            }
            if (top.count() < minFrequency) {
                break;
            }
            int left = (int) (top.pair() >>> 32);
            int right = (int) top.pair();
            String merged = vocabulary.token(left) + vocabulary.token(right);
            if (vocabulary.contains(merged) || ByteTokens.parse(merged) >= 0) {
                stats.skipped = true;
                continue;
            }
            int result = vocabulary.add(merged);
            merges.add(new Merge(left, right));
            mergeEverywhere(stats, left, right, result, merges.size());
        }
        return merges;
    }

    /** Rewrites every word holding the pair and updates the counts of the pairs around each occurrence. */
    private void mergeEverywhere(PairStats stats, int left, int right, int result, int step) {
        IntList holders = stats.words;
        stats.words = new IntList(1); // the pair cannot come back: its tokens are never made again
        for (int i = 0; i < holders.size(); i++) {
            int w = holders.get(i);
            if (lastVisitedAt[w] == step) {
                continue;
            }
            lastVisitedAt[w] = step;
            int[] before = words[w];
            int[] after = merge(before, left, right, result);
            if (after != before) {
                words[w] = after;
                updatePairs(w, before, after, step);
            }
        }
        for (int i = 0; i < grown.size(); i++) {
            PairStats g = grown.get(i);
            if (!g.skipped && g.count > 0) {
                queue.add(new Candidate(grownKeys.get(i), g.count));
            }
        }
        grown.clear();
        grownKeys.clear();
    }

    /** Left-to-right, non-overlapping: "a a a" with (a, a) gives "aa a". Returns {@code s} itself when nothing merged. */
    static int[] merge(int[] s, int left, int right, int result) {
        IntList out = null;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                if (out == null) {
                    out = new IntList(s.length);
                    for (int j = 0; j < i; j++) {
                        out.add(s[j]);
                    }
                }
                out.add(result);
                i++;
            } else if (out != null) {
                out.add(s[i]);
            }
        }
        return out == null ? s : out.toArray();
    }

    /** Applies to the pair counts the difference between a word's pairs before and after a merge. */
    private void updatePairs(int w, int[] before, int[] after, int step) {
        long[] removed = pairKeys(before);
        long[] added = pairKeys(after);
        int r = 0;
        int a = 0;
        while (r < removed.length || a < added.length) {
            long key;
            int change = 0;
            if (a >= added.length || (r < removed.length && removed[r] < added[a])) {
                key = removed[r];
            } else {
                key = added[a];
            }
            while (r < removed.length && removed[r] == key) {
                change--;
                r++;
            }
            while (a < added.length && added[a] == key) {
                change++;
                a++;
            }
            if (change != 0) {
                PairStats stats = pairs.computeIfAbsent(key, k -> new PairStats());
                stats.count += change * wordCounts[w];
                if (change > 0) {
                    addWord(stats, w);
                    if (stats.lastGrownAt != step) {
                        stats.lastGrownAt = step;
                        grown.add(stats);
                        grownKeys.add(key);
                    }
                }
            }
        }
    }

    /** The sorted keys of a word's adjacent pairs, those with a character outside the alphabet left out. */
    private static long[] pairKeys(int[] s) {
        long[] keys = new long[Math.max(0, s.length - 1)];
        int n = 0;
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] != NO_TOKEN && s[i + 1] != NO_TOKEN) {
                keys[n++] = Merge.key(s[i], s[i + 1]);
            }
        }
        long[] sorted = Arrays.copyOf(keys, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static void addWord(PairStats stats, int w) {
        if (stats.lastWordAdded != w) {
            stats.lastWordAdded = w;
            stats.words.add(w);
        }
    }
}
