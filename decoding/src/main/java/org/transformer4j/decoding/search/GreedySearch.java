package org.transformer4j.decoding.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.TopK;

/**
 * Greedy decoding as "The Illustrated Transformer" describes it: at each step keep the most probable next token
 * (the first one on ties), feed it back, and stop at {@code <eos>}. Finished sentences leave the batch.
 */
public final class GreedySearch implements Search {

    private final LengthPenalty penalty;

    /** @param penalty only scales the reported score; the choice of tokens does not depend on it */
    public GreedySearch(LengthPenalty penalty) {
        this.penalty = penalty;
    }

    @Override
    public int group() {
        return 1;
    }

    @Override
    public List<List<ScoredSequence>> run(StepModel model, SearchInput input) {
        int n = input.sentences();
        int vocab = model.vocabularySize();
        List<List<ScoredSequence>> results = new ArrayList<>(java.util.Collections.nCopies(n, List.<ScoredSequence>of()));
        int[] alive = new int[n]; // row → sentence
        for (int s = 0; s < n; s++) {
            alive[s] = s;
        }
        int[][] tokens = new int[n][0];
        double[] logProbability = new double[n];
        int[] feed = new int[n];
        Arrays.fill(feed, input.bosId());
        for (int t = 0; alive.length > 0; t++) {
            // Only the best token of each row crosses to the host, unless a prefix or the length limit forces one.
            boolean whole = input.anyForced(alive, t);
            float[] lp = whole ? model.step(feed) : null;
            TopK top = whole ? null : model.stepTop(feed, 1);
            int[] keep = new int[alive.length];
            int kept = 0;
            for (int r = 0; r < alive.length; r++) {
                int s = alive[r];
                int token;
                if (whole) {
                    int forced = input.forced(s, t);
                    token = forced >= 0 ? forced : argmax(lp, r * vocab, vocab);
                    logProbability[s] += lp[r * vocab + token];
                } else {
                    token = top.index(r, 0);
                    logProbability[s] += top.value(r, 0);
                }
                if (token == input.eosId()) {
                    results.set(s, List.of(new ScoredSequence(tokens[s], logProbability[s],
                            penalty.score(logProbability[s], tokens[s].length + 1))));
                } else {
                    tokens[s] = append(tokens[s], token);
                    keep[kept++] = r;
                }
            }
            if (kept == 0) {
                break;
            }
            keep = Arrays.copyOf(keep, kept);
            if (kept < alive.length) {
                model.select(keep, keep);
            }
            int[] next = new int[kept];
            for (int i = 0; i < kept; i++) {
                next[i] = alive[keep[i]];
            }
            alive = next;
            feed = new int[kept];
            for (int i = 0; i < kept; i++) {
                feed[i] = tokens[alive[i]][tokens[alive[i]].length - 1];
            }
        }
        return results;
    }

    static int argmax(float[] values, int offset, int length) {
        int best = 0;
        float bestValue = values[offset];
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > bestValue) {
                bestValue = values[offset + j];
                best = j;
            }
        }
        return best;
    }

    static int[] append(int[] a, int x) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = x;
        return b;
    }
}
