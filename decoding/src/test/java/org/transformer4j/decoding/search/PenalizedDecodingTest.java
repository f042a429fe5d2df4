package org.transformer4j.decoding.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.transformer4j.decoding.IdTranslator;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;

/**
 * The options against loops on small random models: a search's reported log-probability and score of every
 * hypothesis are what {@link TeacherForcedScorer} gives it under the same options ({@code t4j score} reproduces
 * {@code t4j translate}), the cached and recomputing models agree, and nothing leaks.
 */
class PenalizedDecodingTest {

    private static Backend backend;
    private static Transformer model;
    private static Transformer other;
    private static List<int[]> sources;

    /**
     * Beam search with each option alone, then all of them; greedy decoding and sampling with the token penalties.
     * The coverage penalty is 0 once every source token got a total weight of 1, which the near-uniform attention of a
     * random model gives any output a little longer than its source: its outputs here stop at half the source + 1.
     */
    static final List<DecodingOptions> OPTIONS = List.of(
            DecodingOptions.defaults().withBeam(4, 4).withPenalties(2, 1, 0),
            DecodingOptions.defaults().withBeam(4, 4).withPenalties(0, 1.8, 0),
            DecodingOptions.defaults().withBeam(4, 4).withPenalties(0, 0.6, 0),
            DecodingOptions.defaults().withBeam(4, 4).withPenalties(0, 1, 0.4).withMaxLength(0.5, 1),
            DecodingOptions.defaults().withBeam(4, 4).withPenalties(2, 1.5, 0.3).withMaxLength(0.5, 1),
            DecodingOptions.greedy().withPenalties(2, 1.5, 0),
            DecodingOptions.defaults().withSampling(3, 1f, 0, 1f, 9).withPenalties(1, 1.5, 0));

    @BeforeAll
    static void setUp() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
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

    private static List<List<ScoredSequence>> decode(List<Transformer> models, DecodingOptions options) {
        return new SequenceDecoder(models).decode(sources, options);
    }

    @Test
    void reportedScoresEqualTheTeacherForcedScoresUnderTheSameOptions() {
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        for (DecodingOptions options : OPTIONS) {
            List<List<ScoredSequence>> out = decode(List.of(model), options);
            for (int s = 0; s < sources.size(); s++) {
                assertEquals(options.nbest(), out.get(s).size(), options.toString());
                for (ScoredSequence h : out.get(s)) {
                    TeacherForcedScorer.Scored scored = scorer.score(sources.get(s), h.tokens(), options);
                    String what = options + " sentence " + s + " " + Arrays.toString(h.tokens());
                    assertEquals(scored.logProbability(), h.logProbability(), 1e-4, what);
                    assertEquals(scored.score(), h.score(), 1e-4, what);
                    assertEquals(-1,
                            new NoRepeatNgram(options.noRepeatNgram()).firstRepeat(h.tokens()), what);
                }
            }
        }
    }

    @Test
    void theOptionsChangeTheOutputsOrTheirScores() {
        for (DecodingOptions options : OPTIONS.subList(0, 5)) {
            List<List<ScoredSequence>> plain = decode(List.of(model), options.withPenalties(0, 1, 0));
            List<List<ScoredSequence>> out = decode(List.of(model), options);
            boolean differs = false;
            for (int s = 0; s < sources.size(); s++) {
                for (int i = 0; i < 4; i++) {
                    differs |= !Arrays.equals(plain.get(s).get(i).tokens(), out.get(s).get(i).tokens())
                            || Math.abs(plain.get(s).get(i).score() - out.get(s).get(i).score()) > 1e-3;
                }
            }
            assertTrue(differs, options.toString());
        }
    }

    @Test
    void theCoveragePenaltyLowersTheScoreOfHypothesesThatLeaveSourceUnread() {
        DecodingOptions options = OPTIONS.get(3);
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        boolean penalised = false;
        for (int s = 0; s < sources.size(); s++) {
            for (ScoredSequence h : decode(List.of(model), options).get(s)) {
                TeacherForcedScorer.Scored scored = scorer.score(sources.get(s), h.tokens(), options);
                assertTrue(scored.coveragePenalty() <= 0);
                assertEquals(options.penalty().score(h.logProbability(), h.tokens().length + 1) + scored.coveragePenalty(),
                        h.score(), 1e-4);
                penalised |= scored.coveragePenalty() < -1e-3;
            }
        }
        assertTrue(penalised, "short outputs of a random model leave some source tokens below a total weight of 1");
    }

    @Test
    void cachedAndRecomputedDecodingAgreeUnderTheOptions() {
        for (DecodingOptions options : OPTIONS) {
            List<List<ScoredSequence>> cached = decode(List.of(model), options);
            List<List<ScoredSequence>> recomputed = decode(List.of(model), options.withCache(false));
            for (int s = 0; s < sources.size(); s++) {
                assertEquals(cached.get(s).size(), recomputed.get(s).size());
                for (int i = 0; i < cached.get(s).size(); i++) {
                    assertArrayEquals(recomputed.get(s).get(i).tokens(), cached.get(s).get(i).tokens(), options.toString());
                    assertEquals(recomputed.get(s).get(i).score(), cached.get(s).get(i).score(), 1e-4);
                }
            }
        }
    }

    @Test
    void anEnsemblePenalisesEachModelBeforeAveraging() {
        DecodingOptions options = DecodingOptions.greedy().withLengthPenalty(0).withPenalties(2, 1.5, 0);
        List<List<ScoredSequence>> out = decode(List.of(model, other), options);
        for (int s = 0; s < sources.size(); s++) {
            ScoredSequence h = out.get(s).getFirst();
            double a = new TeacherForcedScorer(model).score(sources.get(s), h.tokens(), options).logProbability();
            double b = new TeacherForcedScorer(other).score(sources.get(s), h.tokens(), options).logProbability();
            assertEquals((a + b) / 2, h.logProbability(), 1e-4);
        }
        // the ensemble's attention is the members' average: reported scores stay finite and ranked
        DecodingOptions covered = DecodingOptions.defaults().withBeam(3, 3).withPenalties(0, 1, 0.5).withMaxLength(0.5, 1);
        for (List<ScoredSequence> outputs : decode(List.of(model, other), covered)) {
            for (int i = 1; i < outputs.size(); i++) {
                assertTrue(outputs.get(i).score() <= outputs.get(i - 1).score());
            }
        }
    }

    @Test
    void aForcedPrefixIsPenalisedLikeAnyOutputButMayNotRepeatAForbiddenNgram() {
        DecodingOptions options = DecodingOptions.defaults().withBeam(3, 2).withPenalties(2, 1.5, 0.2);
        List<int[]> prefixes = sources.stream().map(s -> new int[] {7, 9}).toList();
        List<List<ScoredSequence>> out = new SequenceDecoder(model).decode(sources, prefixes, options);
        TeacherForcedScorer scorer = new TeacherForcedScorer(model);
        for (int s = 0; s < sources.size(); s++) {
            for (ScoredSequence h : out.get(s)) {
                assertArrayEquals(new int[] {7, 9}, Arrays.copyOf(h.tokens(), 2));
                assertEquals(scorer.score(sources.get(s), h.tokens(), options).score(), h.score(), 1e-4);
            }
        }
        List<int[]> repeating = sources.stream().map(s -> new int[] {7, 9, 7, 9}).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequenceDecoder(model).decode(sources, repeating, options));
        assertTrue(e.getMessage().contains("--no-repeat-ngram 2"), e.getMessage());
        // a translator leaves such a line empty, with a warning, and translates the others
        IdTranslator translator = new IdTranslator(List.of(model), 4, 100); // not closed: it would close the model
        List<IdTranslator.Result> results = translator.translate(sources.subList(0, 2),
                List.of(new int[] {7, 9, 7, 9}, new int[0]), options);
        assertTrue(results.get(0).hypotheses().isEmpty());
        assertTrue(results.get(0).warning().contains("--no-repeat-ngram 2"), results.get(0).warning());
        assertEquals(2, results.get(1).hypotheses().size());
    }

    @Test
    void decodingUnderTheOptionsFreesEverythingItAllocates() {
        decode(List.of(model), DecodingOptions.defaults()); // warms the positional table
        long before = backend.memory().inUse();
        for (DecodingOptions options : OPTIONS) {
            decode(List.of(model), options);
            decode(List.of(model), options.withCache(false));
        }
        assertEquals(before, backend.memory().inUse());
    }

    @Test
    void optionsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withPenalties(-1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withPenalties(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withPenalties(0, 1, -0.2));
        IllegalArgumentException greedy = assertThrows(IllegalArgumentException.class,
                () -> DecodingOptions.greedy().withPenalties(0, 1, 0.2));
        assertTrue(greedy.getMessage().contains("--beam 2"), greedy.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DecodingOptions.defaults().withPenalties(0, 1, 0.2).withSampling(2, 1f, 0, 1f, 1));
        DecodingOptions d = DecodingOptions.defaults();
        assertEquals(0, d.noRepeatNgram());
        assertEquals(1, d.repetitionPenalty());
        assertEquals(0, d.coveragePenalty());
        assertTrue(!d.tokenPenalties().active() && !d.coverage().active(), "the defaults change nothing");
    }
}
