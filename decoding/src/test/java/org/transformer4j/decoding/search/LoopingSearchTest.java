package org.transformer4j.decoding.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every search on {@link LoopingStepModel}, a model that loves to loop: the options against loops do what their
 * definitions say, and without them the outputs loop (so these tests fail where an option does nothing).
 */
class LoopingSearchTest {

    static final int VOCAB = 12;
    static final int SENTENCES = 2;
    static final int MAX_LENGTH = 20;

    private static List<List<ScoredSequence>> run(Search search, TokenPenalties penalties) {
        SearchInput input = new SearchInput(List.of(new int[0], new int[0]), new int[] {MAX_LENGTH, MAX_LENGTH - 3},
                new long[] {0, 1}, LoopingStepModel.BOS, LoopingStepModel.EOS);
        StepModel model = new LoopingStepModel(SENTENCES, search.group(), VOCAB);
        try (StepModel m = penalties.active() ? new PenalizedStepModel(model, penalties) : model) {
            return search.run(m, input);
        }
    }

    private static List<Search> searches() {
        return List.of(new GreedySearch(LengthPenalty.NONE), new BeamSearch(4, 4, new LengthPenalty(0.6)),
                new SamplingSearch(3, 1f, 0, 1f, 7, LengthPenalty.NONE));
    }

    /** Whether some n-gram of {@code tokens} occurs twice (overlaps count). */
    private static boolean repeatsAnNgram(int[] tokens, int n) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i + n <= tokens.length; i++) {
            if (!seen.add(Arrays.stream(Arrays.copyOfRange(tokens, i, i + n)).boxed().toList())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withoutOptionsEverySearchLoops() {
        for (Search search : searches()) {
            for (List<ScoredSequence> outputs : run(search, TokenPenalties.NONE)) {
                assertTrue(repeatsAnNgram(outputs.getFirst().tokens(), 3), search.getClass().getSimpleName());
            }
        }
    }

    @Test
    void noOutputRepeatsAnNgramOfTheForbiddenSize() {
        for (int n = 1; n <= 4; n++) {
            for (Search search : searches()) {
                List<List<ScoredSequence>> out = run(search, new TokenPenalties(n, 1));
                for (List<ScoredSequence> outputs : out) {
                    assertFalse(outputs.isEmpty());
                    for (ScoredSequence h : outputs) {
                        String what = search.getClass().getSimpleName() + " n=" + n + ": " + Arrays.toString(h.tokens());
                        assertFalse(repeatsAnNgram(h.tokens(), n), what);
                        assertTrue(Double.isFinite(h.score()), what);
                    }
                }
            }
        }
    }

    @Test
    void greedyWithoutRepeatedTrigramsTakesTheBestTokenThatCompletesNone() {
        // 3 4 5 3 4, then 5 would repeat "3 4 5": the best other token is word 3 (logit 1); after "4 3" its favourite
        // 4 completes no trigram seen; then "3 4" has been followed by 5 and 3, so the best left is 4 (logit 7/9).
        int[] out = run(new GreedySearch(LengthPenalty.NONE), new TokenPenalties(3, 1)).getFirst().getFirst().tokens();
        assertArrayEquals(new int[] {3, 4, 5, 3, 4, 3, 4, 4}, Arrays.copyOf(out, 8));
    }

    @Test
    void theRepetitionPenaltyReshapesTheDistributionFromTheLogitsOfBothSigns() {
        try (StepModel m = new PenalizedStepModel(new LoopingStepModel(1, 1, VOCAB), new TokenPenalties(0, 2))) {
            m.step(new int[] {LoopingStepModel.BOS});
            m.step(new int[] {3});
            m.step(new int[] {9});
            float[] lp = m.step(new int[] {4});
            // After token 4 the model's logits are: 5 (its favourite) 6, word v 1 − 2·(v − 3)/9, <eos> −1, padding and
            // <bos> −∞. The output so far is 3 9 4: word 3 (logit 1) is divided by 2, word 4 (7/9) too, and word 9
            // (logit −1/3, negative) is multiplied by 2; then the row is normalised again.
            double[] logits = new double[VOCAB];
            Arrays.fill(logits, Double.NEGATIVE_INFINITY);
            logits[LoopingStepModel.EOS] = -1;
            for (int v = 3; v < VOCAB; v++) {
                logits[v] = 1 - 2.0 * (v - 3) / 9;
            }
            logits[5] = 6;
            logits[3] = 1 / 2.0;
            logits[4] = 7 / 9.0 / 2;
            logits[9] = -1 / 3.0 * 2;
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l);
            }
            for (int v = 0; v < VOCAB; v++) {
                assertEquals(logits[v] - Math.log(sum), lp[v], 1e-6, "token " + v);
            }
        }
    }

    @Test
    void theCoveragePenaltyIsAddedToTheScoreOfEachFinishedHypothesis() {
        // Every step attends (0.5, 0.25, 0.25): a hypothesis of n tokens with <eos> has covered (n/2, n/4, n/4).
        double beta = 0.3;
        LengthPenalty lp = new LengthPenalty(0.6);
        // At most 2 tokens: every hypothesis has n = 3 with <eos>, so it covered (1.5, 0.75, 0.75): cp = 2β·log 0.75.
        SearchInput input = new SearchInput(List.of(new int[0]), new int[] {2}, new long[] {0}, LoopingStepModel.BOS,
                LoopingStepModel.EOS);
        BeamSearch plain = new BeamSearch(4, 4, lp, CoveragePenalty.NONE, null);
        BeamSearch covered = new BeamSearch(4, 4, lp, new CoveragePenalty(beta), null);
        assertTrue(covered.needsAttention());
        assertFalse(plain.needsAttention());
        List<ScoredSequence> without;
        List<ScoredSequence> with;
        try (StepModel m = new LoopingStepModel(1, 4, VOCAB)) {
            without = plain.run(m, input).getFirst();
        }
        try (StepModel m = new LoopingStepModel(1, 4, VOCAB)) {
            with = covered.run(m, input).getFirst();
        }
        boolean sawPenalty = false;
        for (ScoredSequence h : with) {
            int n = h.tokens().length + 1;
            double cp = beta * (Math.log(Math.min(n * 0.5, 1)) + 2 * Math.log(Math.min(n * 0.25, 1)));
            assertEquals(lp.score(h.logProbability(), n) + cp, h.score(), 1e-6, Arrays.toString(h.tokens()));
            sawPenalty |= cp < 0;
        }
        assertTrue(sawPenalty, "a hypothesis shorter than 4 tokens leaves part of the source uncovered");
        // the same hypotheses are found (the penalty ranks finished ones only), scored lower where short
        for (ScoredSequence h : without) {
            assertTrue(with.stream().anyMatch(w -> Arrays.equals(w.tokens(), h.tokens())
                    && w.logProbability() == h.logProbability() && w.score() <= h.score()));
        }
    }
}
