package org.transformer4j.model.vocab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Applies learned merges to one word with the semantics of the Hugging Face BPE model: while some adjacent pair
 * of tokens has a merge, merge the pair whose merge was learned first (lowest rank); when that pair occurs more
 * than once, merge the leftmost occurrence first. "a a a" with the single merge (a, a) therefore gives "aa a".
 *
 * <p>Like the library, this keeps the candidate pairs in a priority queue ordered by (rank, position) over a
 * linked list of symbols, and drops stale entries when they surface, so a long word costs O(n log n), not
 * O(n²). A symbol keeps the position of its first character, so positions order symbols left to right.
 */
final class MergeTable {

    private final Map<Long, Integer> rankByPair = new HashMap<>();
    private final int[] resultByRank;

    /** {@code results[i]} is the id of the token that merge {@code i} makes. */
    MergeTable(List<Merge> merges, int[] results) {
        resultByRank = results.clone();
        for (int rank = 0; rank < merges.size(); rank++) {
            rankByPair.put(merges.get(rank).key(), rank);
        }
    }

    /** The rank of the merge of {@code left} then {@code right}, or -1 when there is none. */
    int rank(int left, int right) {
        Integer rank = rankByPair.get(Merge.key(left, right));
        return rank == null ? -1 : rank;
    }

    /** The tokens of a word after every merge that applies; {@code symbols} are its single-character tokens. */
    int[] apply(int[] symbols) {
        int n = symbols.length;
        if (n < 2) {
            return symbols.clone();
        }
        int[] token = symbols.clone(); // -1 once merged into the symbol on its left
        int[] prev = new int[n];
        int[] next = new int[n];
        PriorityQueue<Long> queue = new PriorityQueue<>(); // (rank << 32 | position): lowest rank, then leftmost
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                offer(queue, token[i], token[i + 1], i);
            }
        }
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            // stale: this symbol was merged away, or grew, or its right neighbour did (then the pair is different)
            if (token[pos] < 0 || right < 0 || rank(token[pos], token[right]) != rank) {
                continue;
            }
            token[pos] = resultByRank[rank];
            token[right] = -1;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                offer(queue, token[prev[pos]], token[pos], prev[pos]);
            }
            if (next[pos] >= 0) {
                offer(queue, token[pos], token[next[pos]], pos);
            }
        }
        IntList merged = new IntList(n);
        for (int i = 0; i >= 0; i = next[i]) {
            merged.add(token[i]);
        }
        return merged.toArray();
    }

    private void offer(PriorityQueue<Long> queue, int left, int right, int position) {
        int rank = rank(left, right);
        if (rank >= 0) {
            queue.add(((long) rank << 32) | position);
        }
    }
}
