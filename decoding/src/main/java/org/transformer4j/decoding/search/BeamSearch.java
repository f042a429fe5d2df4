package org.transformer4j.decoding.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.transformer4j.api.TopK;

/**
 * Beam search, batched: every sentence keeps {@code beamSize} partial hypotheses (rows
 * {@code s·K .. s·K+K-1} of the {@link StepModel}), and each step extends them all at once.
 *
 * <p>One step, per sentence: score every extension of every live hypothesis (its log-probability plus the
 * token's), keep the best {@code 2K}; an extension by {@code <eos>} among the best {@code K} becomes a
 * finished hypothesis, scored under the {@link LengthPenalty}; the best {@code K} others form the next beam
 * (fairseq's rule). At the first step the K rows are identical, so only row 0 is extended.
 *
 * <p>A sentence is done when it has {@code nbest} finished hypotheses and no live one can still beat the
 * {@code nbest}-th of them: log-probabilities only fall as a hypothesis grows, so the best score a live
 * hypothesis can reach is bounded by {@link LengthPenalty#bestReachable} over the lengths still allowed. At the
 * length limit only {@code <eos>} may follow, which finishes every hypothesis. Done sentences leave the batch.
 *
 * <p>With a {@link CoveragePenalty}, each hypothesis also sums the attention of its steps over the source, and a
 * finished one scores {@code log P / lp(n) + cp}. As in OpenNMT-py's default (not its {@code -stepwise_penalty}),
 * the penalty ranks finished hypotheses only: live ones still compete by log-probability, so the beam follows the
 * model and the penalty picks among the translations it finishes. {@code cp ≤ 0}, so the stopping bound above
 * stays an upper bound on what a live hypothesis can still score.
 *
 * <p>With {@code K = 1} and no length penalty this is exactly greedy decoding (a test holds it to that).
 */
public final class BeamSearch implements Search {

    private final int beamSize;
    private final int nbest;
    private final LengthPenalty penalty;
    private final CoveragePenalty coverage;
    private final BeamObserver observer; // null: nobody watches (the fast path)

    public BeamSearch(int beamSize, int nbest, LengthPenalty penalty) {
        this(beamSize, nbest, penalty, CoveragePenalty.NONE, null);
    }

    /** @param observer told of every candidate and of each sentence's end; null for none */
    public BeamSearch(int beamSize, int nbest, LengthPenalty penalty, BeamObserver observer) {
        this(beamSize, nbest, penalty, CoveragePenalty.NONE, observer);
    }

    /**
     * @param coverage added to the score of each finished hypothesis ({@link CoveragePenalty#NONE} for none)
     * @param observer told of every candidate and of each sentence's end; null for none
     */
    public BeamSearch(int beamSize, int nbest, LengthPenalty penalty, CoveragePenalty coverage, BeamObserver observer) {
        if (beamSize < 1) {
            throw new IllegalArgumentException("the beam size must be at least 1, not " + beamSize);
        }
        if (nbest < 1 || nbest > beamSize) {
            throw new IllegalArgumentException("n-best must be between 1 and the beam size " + beamSize + ", not " + nbest);
        }
        this.beamSize = beamSize;
        this.nbest = nbest;
        this.penalty = penalty;
        this.coverage = coverage;
        this.observer = observer;
    }

    @Override
    public int group() {
        return beamSize;
    }

    @Override
    public boolean needsAttention() {
        return coverage.active();
    }

    /** One sentence's beam. */
    private static final class Beam {
        int[][] hypotheses;
        double[] scores; // log-probabilities; -∞ marks an empty slot
        double[][] coverage; // per slot, its attention summed over its steps (null before the first step)
        final List<ScoredSequence> finished = new ArrayList<>();

        Beam(int k) {
            hypotheses = new int[k][0];
            coverage = new double[k][];
            scores = new double[k];
            Arrays.fill(scores, Double.NEGATIVE_INFINITY);
            scores[0] = 0;
        }
    }

    /** An extension of hypothesis {@code row} by {@code token}. */
    private record Candidate(int row, int token, double score) {
    }

    /** Best first; ties go to the earlier row, then the smaller token id (as greedy's argmax does). */
    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingInt(Candidate::row).thenComparingInt(Candidate::token);

    @Override
    public List<List<ScoredSequence>> run(StepModel model, SearchInput input) {
        int n = input.sentences();
        int k = beamSize;
        int vocab = model.vocabularySize();
        List<List<ScoredSequence>> results = new ArrayList<>(java.util.Collections.nCopies(n, List.<ScoredSequence>of()));
        Beam[] beams = new Beam[n];
        int[] alive = new int[n]; // position in the model's batch → sentence
        for (int s = 0; s < n; s++) {
            beams[s] = new Beam(k);
            alive[s] = s;
        }
        int[] feed = new int[n * k];
        Arrays.fill(feed, input.bosId());
        for (int t = 0; alive.length > 0; t++) {
            // Each row's best 2K tokens suffice (a sentence keeps at most 2K extensions, and within a row the order
            // of extensions is the order of its tokens' log-probabilities); whole rows only when a token is forced.
            boolean whole = input.anyForced(alive, t);
            float[] lp = whole ? model.step(feed) : null;
            TopK top = whole ? null : model.stepTop(feed, Math.min(2 * k, vocab));
            float[][] attention = coverage.active() ? model.attention() : null;
            int[] keptSentences = new int[alive.length];
            int[] rows = new int[alive.length * k];
            int kept = 0;
            for (int a = 0; a < alive.length; a++) {
                int s = alive[a];
                Beam beam = beams[s];
                List<Candidate> candidates = whole ? best(beam, lp, a * k, vocab, input.forced(s, t), 2 * k)
                        : best(beam, top, a * k, 2 * k);
                double[][] covered = attention == null ? null : covered(beam, attention, a * k);
                double[][] nextCoverage = new double[k][];
                int[][] nextHypotheses = new int[k][];
                double[] nextScores = new double[k];
                int[] parents = new int[k];
                int filled = 0;
                for (int rank = 0; rank < candidates.size(); rank++) {
                    Candidate c = candidates.get(rank);
                    if (c.token() == input.eosId()) {
                        if (rank < k) {
                            double score = penalty.score(c.score(), t + 1)
                                    + (covered == null ? 0 : coverage.of(covered[c.row()]));
                            beam.finished.add(new ScoredSequence(beam.hypotheses[c.row()], c.score(), score));
                            if (observer != null) {
                                observer.candidate(s, t, rank, c.row(), c.token(), c.score(), BeamObserver.Outcome.FINISHED,
                                        -1, score);
                            }
                        } else if (observer != null) {
                            observer.candidate(s, t, rank, c.row(), c.token(), c.score(), BeamObserver.Outcome.PRUNED, -1,
                                    Double.NaN);
                        }
                    } else if (filled < k) {
                        nextHypotheses[filled] = GreedySearch.append(beam.hypotheses[c.row()], c.token());
                        nextScores[filled] = c.score();
                        nextCoverage[filled] = covered == null ? null : covered[c.row()];
                        parents[filled] = c.row();
                        if (observer != null) {
                            observer.candidate(s, t, rank, c.row(), c.token(), c.score(), BeamObserver.Outcome.KEPT, filled,
                                    Double.NaN);
                        }
                        filled++;
                    } else if (observer != null) {
                        observer.candidate(s, t, rank, c.row(), c.token(), c.score(), BeamObserver.Outcome.PRUNED, -1,
                                Double.NaN);
                    }
                }
                for (int j = filled; j < k; j++) { // empty slots: never extended, never finished
                    nextHypotheses[j] = nextHypotheses[0] == null ? new int[0] : nextHypotheses[0];
                    nextScores[j] = Double.NEGATIVE_INFINITY;
                    parents[j] = parents[0];
                }
                if (filled == 0 || isDone(beam, nextScores[0], t + 2, input.maxLengths()[s] + 1)) {
                    results.set(s, top(beam));
                    if (observer != null) {
                        observer.done(s, t);
                    }
                    continue;
                }
                beam.hypotheses = nextHypotheses;
                beam.scores = nextScores;
                beam.coverage = nextCoverage;
                keptSentences[kept] = a;
                for (int j = 0; j < k; j++) {
                    rows[kept * k + j] = a * k + parents[j];
                }
                kept++;
            }
            if (kept == 0) {
                break;
            }
            keptSentences = Arrays.copyOf(keptSentences, kept);
            rows = Arrays.copyOf(rows, kept * k);
            model.select(keptSentences, rows);
            int[] next = new int[kept];
            for (int i = 0; i < kept; i++) {
                next[i] = alive[keptSentences[i]];
            }
            alive = next;
            feed = new int[kept * k];
            for (int i = 0; i < kept; i++) {
                Beam beam = beams[alive[i]];
                for (int j = 0; j < k; j++) {
                    int[] h = beam.hypotheses[j];
                    feed[i * k + j] = h.length == 0 ? input.eosId() : h[h.length - 1];
                }
            }
        }
        return results;
    }

    /**
     * The {@code limit} best extensions of the beam's live rows ({@code forced}: the only token allowed, or -1).
     */
    private static List<Candidate> best(Beam beam, float[] lp, int rowOffset, int vocab, int forced, int limit) {
        // A bounded selection: keep the best `limit`, track the worst kept to skip most tokens cheaply.
        PriorityQueue<Candidate> heap = new PriorityQueue<>(limit + 1, BEST_FIRST.reversed());
        for (int r = 0; r < beam.scores.length; r++) {
            double base = beam.scores[r];
            if (base == Double.NEGATIVE_INFINITY) {
                continue;
            }
            int off = (rowOffset + r) * vocab;
            int from = forced >= 0 ? forced : 0;
            int to = forced >= 0 ? forced + 1 : vocab;
            for (int v = from; v < to; v++) {
                double score = base + lp[off + v];
                if (heap.size() == limit && score < heap.peek().score()) {
                    continue;
                }
                heap.add(new Candidate(r, v, score));
                if (heap.size() > limit) {
                    heap.poll();
                }
            }
        }
        List<Candidate> best = new ArrayList<>(heap);
        best.sort(BEST_FIRST);
        return best;
    }

    /** The {@code limit} best extensions of the beam's live rows, from each row's top tokens. */
    private static List<Candidate> best(Beam beam, TopK top, int rowOffset, int limit) {
        List<Candidate> all = new ArrayList<>(beam.scores.length * top.k());
        for (int r = 0; r < beam.scores.length; r++) {
            double base = beam.scores[r];
            if (base == Double.NEGATIVE_INFINITY) {
                continue;
            }
            for (int j = 0; j < top.k(); j++) {
                all.add(new Candidate(r, top.index(rowOffset + r, j), base + top.value(rowOffset + r, j)));
            }
        }
        all.sort(BEST_FIRST);
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /**
     * Per slot of the beam, its coverage after this step: what it covered before plus where this step's row
     * ({@code rowOffset + slot} of {@code attention}) looked. Kept and finished extensions of a slot share it (read
     * only). Empty slots get null.
     */
    private static double[][] covered(Beam beam, float[][] attention, int rowOffset) {
        double[][] out = new double[beam.scores.length][];
        for (int r = 0; r < out.length; r++) {
            if (beam.scores[r] != Double.NEGATIVE_INFINITY) {
                out[r] = CoveragePenalty.plus(beam.coverage[r], attention[rowOffset + r]);
            }
        }
        return out;
    }

    /** Whether no live hypothesis can beat the n-th best finished one. */
    private boolean isDone(Beam beam, double bestLive, int minLength, int maxLength) {
        if (beam.finished.size() < nbest) {
            return false;
        }
        double nth = top(beam).get(nbest - 1).score();
        return penalty.bestReachable(bestLive, minLength, maxLength) <= nth;
    }

    private List<ScoredSequence> top(Beam beam) {
        List<ScoredSequence> sorted = new ArrayList<>(beam.finished);
        sorted.sort(Comparator.comparingDouble(ScoredSequence::score).reversed());
        return List.copyOf(sorted.subList(0, Math.min(nbest, sorted.size())));
    }
}
