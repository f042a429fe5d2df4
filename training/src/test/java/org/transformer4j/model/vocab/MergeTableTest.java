package org.transformer4j.model.vocab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Merge semantics: lowest rank first, leftmost occurrence first, until no adjacent pair has a merge. */
class MergeTableTest {

    /** A tokenizer with the alphabet "a", "b", "c", "▁" and the given merges (each as its two token strings). */
    private static Tokenizer tokenizer(String... merges) {
        List<String> tokens = new ArrayList<>(Tokenizer.SPECIAL_TOKENS);
        for (int b = 0; b < 256; b++) {
            tokens.add(ByteTokens.name(b));
        }
        tokens.addAll(List.of("a", "b", "c", "▁"));
        List<Merge> list = new ArrayList<>();
        for (int i = 0; i < merges.length; i += 2) {
            list.add(new Merge(tokens.indexOf(merges[i]), tokens.indexOf(merges[i + 1])));
            tokens.add(merges[i] + merges[i + 1]);
        }
        return new Tokenizer(tokens, list);
    }

    private static List<String> pieces(Tokenizer t, String text) {
        return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
    }

    @Test
    void theLeftmostOccurrenceOfAPairMergesFirst() {
        assertEquals(List.of("▁", "aa", "a"), pieces(tokenizer("a", "a"), "aaa"));
        assertEquals(List.of("▁", "aa", "aa"), pieces(tokenizer("a", "a"), "aaaa"));
        assertEquals(List.of("▁", "ab", "ab", "a"), pieces(tokenizer("a", "b"), "ababa"));
    }

    @Test
    void theMergeLearnedFirstWinsWhereverItIs() {
        assertEquals(List.of("▁", "a", "bc"), pieces(tokenizer("b", "c", "a", "b"), "abc"));
        assertEquals(List.of("▁", "ab", "c"), pieces(tokenizer("a", "b", "b", "c"), "abc"));
        // (b, c) ranks before (a, b), so it merges first although it stands to the right
        assertEquals(List.of("▁", "ab", "a", "bc"), pieces(tokenizer("b", "c", "a", "b"), "ababc"));
    }

    @Test
    void mergedTokensMergeFurtherUntilNoPairHasAMerge() {
        Tokenizer t = tokenizer("a", "a", "aa", "aa", "▁", "aaaa", "b", "c");
        assertEquals(List.of("▁aaaa", "aa", "a"), pieces(t, "aaaaaaa"));
        assertEquals(List.of("▁aaaa", "▁", "bc", "a"), pieces(t, "aaaa bca"));
    }

    @Test
    void agreesWithTheObviousQuadraticLoopOnRandomWords() {
        Random random = new Random(7);
        for (int table = 0; table < 50; table++) {
            int alphabet = 2 + random.nextInt(4);
            List<Merge> merges = new ArrayList<>();
            Map<Long, Integer> known = new HashMap<>();
            int next = alphabet;
            for (int m = 0; m < 3 + random.nextInt(15); m++) {
                Merge merge = new Merge(random.nextInt(next), random.nextInt(next));
                if (known.putIfAbsent(merge.key(), merges.size()) == null) {
                    merges.add(merge);
                    next++;
                }
            }
            int[] results = new int[merges.size()];
            for (int r = 0; r < results.length; r++) {
                results[r] = alphabet + r;
            }
            MergeTable fast = new MergeTable(merges, results);
            for (int word = 0; word < 200; word++) {
                int[] symbols = random.ints(1 + random.nextInt(25), 0, alphabet).toArray();
                assertArrayEquals(quadratic(symbols, known, results), fast.apply(symbols),
                        "word " + Arrays.toString(symbols) + " with merges " + merges);
            }
        }
    }

    /** Reference: find the lowest-ranked adjacent pair (the leftmost on ties), merge it, repeat. */
    private static int[] quadratic(int[] symbols, Map<Long, Integer> rankOf, int[] results) {
        List<Integer> s = new ArrayList<>(Arrays.stream(symbols).boxed().toList());
        while (true) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < s.size(); i++) {
                Integer rank = rankOf.get(Merge.key(s.get(i), s.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    best = i;
                    bestRank = rank;
                }
            }
            if (best < 0) {
                return s.stream().mapToInt(Integer::intValue).toArray();
            }
            s.set(best, results[bestRank]);
            s.remove(best + 1);
        }
    }
}
