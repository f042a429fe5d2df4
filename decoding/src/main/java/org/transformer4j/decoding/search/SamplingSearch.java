package org.transformer4j.decoding.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sampling (fairseq's {@code --sampling}, Marian's {@code --output-sampling}): each of a sentence's
 * {@code samples} rows draws its next token from the model's distribution, sharpened or flattened by the
 * temperature ({@code p ∝ exp(log p / T)}) and optionally cut to the {@code topK} most probable tokens and to
 * the smallest set whose probability reaches {@code topP} (nucleus sampling), renormalised. Reported scores are
 * the model's own log-probabilities (without temperature; with the {@link TokenPenalties}, when on, which reshape the
 * distribution before the temperature) under the length penalty; a sentence's samples come back best first.
 *
 * <p>Reproducible: sample {@code j} of a sentence draws from its own generator seeded with
 * {@code (seed, the sentence's key, j)}, so the output does not depend on the batch a sentence was decoded in.
 */
public final class SamplingSearch implements Search {

    private final int samples;
    private final float temperature;
    private final int topK;
    private final float topP;
    private final long seed;
    private final LengthPenalty penalty;

    /**
     * @param topK 0 keeps every token
     * @param topP 1 keeps every token
     */
    public SamplingSearch(int samples, float temperature, int topK, float topP, long seed, LengthPenalty penalty) {
        if (samples < 1) {
            throw new IllegalArgumentException("sampling needs at least one sample per sentence, not " + samples);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the temperature must be positive, not " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be 0 (off) or positive, not " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], not " + topP);
        }
        this.samples = samples;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.seed = seed;
        this.penalty = penalty;
    }

    @Override
    public int group() {
        return samples;
    }

    @Override
    public List<List<ScoredSequence>> run(StepModel model, SearchInput input) {
        int n = input.sentences();
        int g = samples;
        int vocab = model.vocabularySize();
        List<List<ScoredSequence>> results = new ArrayList<>(java.util.Collections.nCopies(n, List.<ScoredSequence>of()));
        int[][] tokens = new int[n * g][0];
        double[] logProbability = new double[n * g];
        boolean[] done = new boolean[n * g];
        List<List<ScoredSequence>> finished = new ArrayList<>();
        SplittableRandom[] random = new SplittableRandom[n * g];
        for (int s = 0; s < n; s++) {
            finished.add(new ArrayList<>());
            for (int j = 0; j < g; j++) {
                random[s * g + j] = new SplittableRandom(seed * 1_000_003L + input.keys()[s] * 7919L + j);
            }
        }
        int[] alive = new int[n];
        for (int s = 0; s < n; s++) {
            alive[s] = s;
        }
        int[] feed = new int[n * g];
        Arrays.fill(feed, input.bosId());
        float[] weights = new float[vocab];
        Integer[] order = new Integer[vocab];
        for (int t = 0; alive.length > 0; t++) {
            float[] lp = model.step(feed);
            int[] keep = new int[alive.length];
            int kept = 0;
            for (int a = 0; a < alive.length; a++) {
                int s = alive[a];
                boolean sentenceDone = true;
                for (int j = 0; j < g; j++) {
                    int id = s * g + j;
                    if (done[id]) {
                        continue;
                    }
                    int off = (a * g + j) * vocab;
                    int forced = input.forced(s, t);
                    int token = forced >= 0 ? forced : draw(lp, off, vocab, random[id], weights, order);
                    logProbability[id] += lp[off + token];
                    if (token == input.eosId()) {
                        done[id] = true;
                        finished.get(s).add(new ScoredSequence(tokens[id], logProbability[id],
                                penalty.score(logProbability[id], tokens[id].length + 1)));
                    } else {
                        tokens[id] = GreedySearch.append(tokens[id], token);
                        sentenceDone = false;
                    }
                }
                if (sentenceDone) {
                    List<ScoredSequence> out = new ArrayList<>(finished.get(s));
                    out.sort(Comparator.comparingDouble(ScoredSequence::score).reversed());
                    results.set(s, List.copyOf(out));
                } else {
                    keep[kept++] = a;
                }
            }
            if (kept == 0) {
                break;
            }
            keep = Arrays.copyOf(keep, kept);
            int[] rows = new int[kept * g];
            for (int i = 0; i < kept; i++) {
                for (int j = 0; j < g; j++) {
                    rows[i * g + j] = keep[i] * g + j;
                }
            }
            if (kept < alive.length) {
                model.select(keep, rows);
            }
            int[] next = new int[kept];
            for (int i = 0; i < kept; i++) {
                next[i] = alive[keep[i]];
            }
            alive = next;
            feed = new int[kept * g];
            for (int i = 0; i < kept; i++) {
                for (int j = 0; j < g; j++) {
                    int id = alive[i] * g + j;
                    int[] h = tokens[id];
                    // a finished sample's row keeps running until its sentence is done; what it reads is ignored
                    feed[i * g + j] = done[id] || h.length == 0 ? input.eosId() : h[h.length - 1];
                }
            }
        }
        return results;
    }

    /** Draws a token from row {@code off} of {@code lp} after temperature, top-k and top-p. */
    private int draw(float[] lp, int off, int vocab, SplittableRandom random, float[] weights, Integer[] order) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, lp[off + v] / temperature);
        }
        double total = 0;
        for (int v = 0; v < vocab; v++) {
            weights[v] = (float) Math.exp(lp[off + v] / temperature - max);
            total += weights[v];
        }
        if (topK > 0 || topP < 1) {
            for (int v = 0; v < vocab; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (x, y) -> Float.compare(weights[y], weights[x]));
            int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
            if (topP < 1) {
                double kept = 0; // top-p applies to the distribution top-k left, renormalised
                for (int i = 0; i < keep; i++) {
                    kept += weights[order[i]];
                }
                double mass = 0;
                for (int i = 0; i < keep; i++) {
                    mass += weights[order[i]] / kept;
                    if (mass >= topP) {
                        keep = i + 1;
                        break;
                    }
                }
            }
            total = 0;
            for (int i = 0; i < vocab; i++) {
                if (i < keep) {
                    total += weights[order[i]];
                } else {
                    weights[order[i]] = 0;
                }
            }
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int v = 0; v < vocab; v++) {
            if (weights[v] > 0) {
                cumulative += weights[v];
                last = v;
                if (u < cumulative) {
                    return v;
                }
            }
        }
        return last; // rounding at the top end
    }
}
