package org.transformer4j.decoding.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;

/**
 * Greedy decoding, beam search and sampling on small random models, each held to a definition it can be checked
 * against: the argmax of a full forward pass, exhaustive search, the teacher-forced score, greedy itself.
 */
class SearchTest {

    private static Backend backend;
    private static Transformer model;
    private static Transformer other;
    private static List<int[]> sources;

    @BeforeAll
    static void setUp() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
        // A scaled-up initialisation makes the random model's distributions peaked enough to hit <eos> early
        // in some sentences and not in others.
        TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(40).tgtVocabSize(24).dropout(0f).build();
        model = Transformer.initialise(backend, config, 5);
        other = Transformer.initialise(backend, config, 6);
        Random random = new Random(3);
        sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int[] s = new int[1 + random.nextInt(8)];
            for (int j = 0; j < s.length; j++) {
                s[j] = 4 + random.nextInt(36);
            }
            sources.add(s);
        }
    }

    @AfterAll
    static void tearDown() {
        model.close();
        other.close();
        backend.close();
    }

    private static List<List<ScoredSequence>> decode(Transformer m, List<int[]> src, DecodingOptions options) {
        return new SequenceDecoder(m).decode(src, options);
    }

    @Test
    void greedyEmitsTheArgmaxOfTheFullForwardPassAndStopsAtEosOrTheLimit() {
        DecodingOptions options = DecodingOptions.greedy().withMaxLength(1, 3);
        List<List<ScoredSequence>> out = decode(model, sources, options);
        for (int s = 0; s < sources.size(); s++) {
            int[] tokens = out.get(s).getFirst().tokens();
            int limit = sources.get(s).length + 3;
            assertTrue(tokens.length <= limit, "length limit");
            int[] prefix = {model.config().bosId()};
            for (int token : tokens) {
                assertEquals(argmaxAfter(model, sources.get(s), prefix), token);
                prefix = GreedySearch.append(prefix, token);
            }
            if (tokens.length < limit) {
                assertEquals(model.config().eosId(), argmaxAfter(model, sources.get(s), prefix), "stopped at <eos>");
            }
        }
    }

    @Test
    void batchedDecodingGivesWhatEachSentenceGivesAlone() {
        for (DecodingOptions options : List.of(DecodingOptions.greedy(), DecodingOptions.defaults().withBeam(3, 3))) {
            List<List<ScoredSequence>> batched = decode(model, sources, options);
            for (int s = 0; s < sources.size(); s++) {
                List<ScoredSequence> alone = decode(model, List.of(sources.get(s)), options).getFirst();
                assertSameOutputs(alone, batched.get(s), 1e-4);
            }
        }
    }

    @Test
    void cachedAndRecomputedDecodingAgree() {
        for (DecodingOptions options : List.of(DecodingOptions.greedy(), DecodingOptions.defaults().withBeam(4, 2))) {
            List<List<ScoredSequence>> cached = decode(model, sources, options);
            List<List<ScoredSequence>> recomputed = decode(model, sources, options.withCache(false));
            for (int s = 0; s < sources.size(); s++) {
                assertSameOutputs(recomputed.get(s), cached.get(s), 1e-4);
            }
        }
    }

    @Test
    void beamOfOneIsGreedyDecodingWithoutLengthPenalty() {
        DecodingOptions greedy = DecodingOptions.greedy().withLengthPenalty(0).withMaxLength(1.5, 5);
        List<List<ScoredSequence>> expected = decode(model, sources, greedy);
        // BeamSearch itself with K = 1 (DecodingOptions routes beam 1 to GreedySearch).
        SequenceDecoderProbe probe = new SequenceDecoderProbe(model);
        List<List<ScoredSequence>> beam = probe.run(sources, new BeamSearch(1, 1, LengthPenalty.NONE), greedy);
        for (int s = 0; s < sources.size(); s++) {
            assertSameOutputs(expected.get(s), beam.get(s), 1e-5);
        }
    }

    @Test
    void reportedScoresEqualTheTeacherForcedScoreOfEachHypothesis() {
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        DecodingOptions options = DecodingOptions.defaults().withBeam(4, 4).withLengthPenalty(0.6);
        List<List<ScoredSequence>> out = decode(model, sources, options);
        for (int s = 0; s < sources.size(); s++) {
            assertEquals(4, out.get(s).size(), "n-best returns n hypotheses");
            double previous = Double.POSITIVE_INFINITY;
            for (ScoredSequence h : out.get(s)) {
                TeacherForcedScorer.Scored scored = scorer.score(sources.get(s), h.tokens(), options.penalty());
                assertEquals(scored.logProbability(), h.logProbability(), 1e-4);
                assertEquals(scored.score(), h.score(), 1e-4);
                assertTrue(h.score() <= previous, "best first");
                previous = h.score();
            }
        }
    }

    @Test
    void aWideEnoughBeamFindsTheBestOutputOfAnExhaustiveSearch() {
        // Outputs of at most 2 tokens over 24 ids: 1 + 24 + 576 hypotheses, all scored by teacher forcing. A beam of
        // 24 holds every prefix of length 1, so nothing is pruned: it must find the best, including when a short
        // output ends first and a longer one wins under the length penalty.
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        for (double alpha : new double[] {0, 0.6, 2}) {
            LengthPenalty penalty = new LengthPenalty(alpha);
            DecodingOptions options = DecodingOptions.defaults().withBeam(24, 1).withLengthPenalty(alpha).withMaxLength(0, 2);
            for (int s = 0; s < 3; s++) {
                int[] src = sources.get(s);
                double best = Double.NEGATIVE_INFINITY;
                int[] bestTokens = null;
                List<int[]> candidates = new ArrayList<>();
                candidates.add(new int[0]);
                for (int a = 0; a < 24; a++) {
                    if (a == model.config().eosId()) {
                        continue;
                    }
                    candidates.add(new int[] {a});
                    for (int b = 0; b < 24; b++) {
                        if (b != model.config().eosId()) {
                            candidates.add(new int[] {a, b});
                        }
                    }
                }
                for (int[] c : candidates) {
                    double score = scorer.score(src, c, penalty).score();
                    if (score > best) {
                        best = score;
                        bestTokens = c;
                    }
                }
                ScoredSequence found = decode(model, List.of(src), options).getFirst().getFirst();
                assertEquals(best, found.score(), 1e-4, "alpha " + alpha + " sentence " + s);
                assertArrayEquals(bestTokens, found.tokens(), "alpha " + alpha + " sentence " + s);
            }
        }
    }

    @Test
    void aForcedPrefixStartsEveryOutput() {
        int[] prefix = {7, 9};
        for (DecodingOptions options : List.of(DecodingOptions.greedy(), DecodingOptions.defaults().withBeam(3, 2),
                DecodingOptions.defaults().withSampling(2, 1f, 0, 1f, 4))) {
            List<int[]> prefixes = sources.stream().map(s -> prefix).toList();
            List<List<ScoredSequence>> out = new SequenceDecoder(model).decode(sources, prefixes, options);
            TeacherForcedScorer scorer = new TeacherForcedScorer(model);
            for (int s = 0; s < sources.size(); s++) {
                for (ScoredSequence h : out.get(s)) {
                    assertArrayEquals(prefix, Arrays.copyOf(h.tokens(), 2));
                    assertEquals(scorer.score(sources.get(s), h.tokens(), options.penalty()).score(), h.score(), 1e-4);
                }
            }
        }
    }

    @Test
    void samplingIsReproducibleScoredAndDependsOnTheSeed() {
        DecodingOptions options = DecodingOptions.defaults().withSampling(3, 1.5f, 0, 1f, 11);
        List<List<ScoredSequence>> a = decode(model, sources, options);
        List<List<ScoredSequence>> b = decode(model, sources, options);
        List<List<ScoredSequence>> c = decode(model, sources, DecodingOptions.defaults().withSampling(3, 1.5f, 0, 1f, 12));
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        boolean differs = false;
        for (int s = 0; s < sources.size(); s++) {
            assertSameOutputs(a.get(s), b.get(s), 0);
            assertEquals(3, a.get(s).size());
            for (ScoredSequence h : a.get(s)) {
                assertEquals(scorer.score(sources.get(s), h.tokens(), options.penalty()).score(), h.score(), 1e-4);
            }
            for (int j = 0; j < 3; j++) {
                differs |= !Arrays.equals(a.get(s).get(j).tokens(), c.get(s).get(j).tokens());
            }
            // alone, a sentence gets the same samples as in the batch
            assertSameOutputs(a.get(s), new SequenceDecoder(model).decode(List.of(sources.get(s)), List.of(new int[0]),
                    new long[] {s}, options).getFirst(), 1e-4);
        }
        assertTrue(differs, "another seed draws other samples");
    }

    @Test
    void topKOfOneSamplesTheGreedyOutput() {
        List<List<ScoredSequence>> greedy = decode(model, sources, DecodingOptions.greedy());
        List<List<ScoredSequence>> sampled = decode(model, sources, DecodingOptions.defaults().withSampling(1, 1f, 1, 1f, 5));
        for (int s = 0; s < sources.size(); s++) {
            assertSameOutputs(greedy.get(s), sampled.get(s), 1e-5);
        }
    }

    @Test
    void anEnsembleAveragesTheModelsLogProbabilities() {
        DecodingOptions options = DecodingOptions.greedy().withLengthPenalty(0);
        List<List<ScoredSequence>> out = new SequenceDecoder(List.of(model, other)).decode(sources, options);
        List<List<ScoredSequence>> alone = decode(model, sources, options);
        boolean differs = false;
        for (int s = 0; s < sources.size(); s++) {
            ScoredSequence h = out.get(s).getFirst();
            double a = new TeacherForcedScorer(model).score(sources.get(s), h.tokens(), LengthPenalty.NONE).logProbability();
            double b = new TeacherForcedScorer(other).score(sources.get(s), h.tokens(), LengthPenalty.NONE).logProbability();
            assertEquals((a + b) / 2, h.logProbability(), 1e-4);
            differs |= !Arrays.equals(h.tokens(), alone.get(s).getFirst().tokens());
        }
        assertTrue(differs, "the second model changes some outputs");
    }

    @Test
    void decodingFreesEverythingItAllocates() {
        decode(model, sources, DecodingOptions.defaults()); // warms the positional table
        long before = backend.memory().inUse();
        decode(model, sources, DecodingOptions.defaults().withBeam(4, 4));
        decode(model, sources, DecodingOptions.greedy().withCache(false));
        decode(model, sources, DecodingOptions.defaults().withSampling(2, 1f, 5, 0.9f, 1));
        assertEquals(before, backend.memory().inUse());
    }

    @Test
    void optionsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withBeam(2, 3));
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withBeam(0, 1));
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withSampling(2, 0f, 0, 1f, 1).search());
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withSampling(2, 1f, 0, 0f, 1).search());
        assertNotEquals(DecodingOptions.paper(), DecodingOptions.defaults());
        assertEquals(4, DecodingOptions.paper().beamSize());
        assertEquals(0.6, DecodingOptions.paper().lengthPenalty());
        assertEquals(57, DecodingOptions.paper().maxLength(7));
    }

    private static void assertSameOutputs(List<ScoredSequence> expected, List<ScoredSequence> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), "hypothesis " + i);
            assertEquals(expected.get(i).logProbability(), actual.get(i).logProbability(), tolerance);
            assertEquals(expected.get(i).score(), actual.get(i).score(), tolerance);
        }
    }

    private static int argmaxAfter(Transformer m, int[] source, int[] prefix) {
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = m.forward(TokenBatch.of(source), TokenBatch.of(prefix), ForwardContext.inference());
            int[] best = m.backend().argmax(f.logits());
            return best[best.length - 1];
        }
    }

    /** Runs a given search the way SequenceDecoder does (which picks GreedySearch for beam 1 itself). */
    private record SequenceDecoderProbe(Transformer m) {
        List<List<ScoredSequence>> run(List<int[]> src, Search search, DecodingOptions options) {
            int[] max = src.stream().mapToInt(s -> options.maxLength(s.length)).toArray();
            try (StepModel steps = new CachedStepModel(m, src, search.group())) {
                return search.run(steps, new SearchInput(src.stream().map(s -> new int[0]).toList(), max,
                        new long[src.size()], m.config().bosId(), m.config().eosId()));
            }
        }
    }
}
