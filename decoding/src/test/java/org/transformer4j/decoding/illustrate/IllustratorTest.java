package org.transformer4j.decoding.illustrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.decoding.illustrate.Illustration.Node;
import org.transformer4j.decoding.illustrate.Illustration.NodeKind;
import org.transformer4j.decoding.illustrate.Illustration.OutputStep;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.TeacherForcedScorer;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.BpeTrainer;
import org.transformer4j.model.vocab.Tokenizer;
import org.transformer4j.model.vocab.Vocabularies;

/** The figures' data are the model's own numbers: attention, positions, embeddings, softmax, the beam's outputs. */
class IllustratorTest {

    static final String SENTENCE = "Y dijo Dios: Sea la luz; y fué la luz.";
    static final DecodingOptions BEAM = DecodingOptions.defaults().withBeam(3, 3).withMaxLength(1, 4);

    @TempDir
    static Path dir;
    static Backend backend;
    static Translator translator;
    static Illustration beam;

    @BeforeAll
    static void setUp() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
        Tokenizer tokenizer = new BpeTrainer(300, 1).train(List.of(SENTENCE, "En el principio creó Dios los cielos y la"
                + " tierra.", "And God said, Let there be light: and there was light."));
        ModelStore store = new ModelStore(backend);
        TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(tokenizer.size())
                .tgtVocabSize(tokenizer.size()).build();
        try (Transformer m = store.initialise(config, 5)) {
            store.save(m, dir);
        }
        new Vocabularies(tokenizer, tokenizer, true).write(dir);
        translator = new Translators(store).open(dir);
        beam = new Illustrator(translator).illustrate(SENTENCE, BEAM, 5);
    }

    @AfterAll
    static void tearDown() {
        translator.close();
        backend.close();
    }

    @Test
    void attentionIsTranslatorAttentionOfTheBestOutput() {
        AttentionWeights expected = translator.attention(beam.sourceIds(), beam.nbest().getFirst().tokens());
        AttentionWeights w = beam.attention();
        assertEquals(beam.sourceTokens(), w.sourceTokens());
        assertEquals(expected.decoderInputTokens(), w.decoderInputTokens());
        for (int l = 0; l < w.encoderSelf().length; l++) {
            for (int h = 0; h < w.encoderSelf()[l].length; h++) {
                for (int q = 0; q < w.encoderSelf()[l][h].length; q++) {
                    assertArrayEquals(expected.encoderSelf()[l][h][q], w.encoderSelf()[l][h][q]);
                }
                for (int q = 0; q < w.decoderSelf()[l][h].length; q++) {
                    assertArrayEquals(expected.decoderSelf()[l][h][q], w.decoderSelf()[l][h][q]);
                    assertArrayEquals(expected.encoderDecoder()[l][h][q], w.encoderDecoder()[l][h][q]);
                    for (int k = q + 1; k < w.decoderSelf()[l][h][q].length; k++) {
                        assertEquals(0f, w.decoderSelf()[l][h][q][k], "position " + q + " sees the future " + k);
                    }
                }
            }
        }
    }

    @Test
    void positionsFollowThePapersFormulaAndAddUpWithTheScaledEmbeddings() {
        TransformerConfig c = beam.config();
        int d = c.dModel();
        float[][] pe = beam.inputs().positions();
        assertEquals(beam.sourceIds().length, pe.length);
        for (int pos = 0; pos < pe.length; pos++) {
            for (int i = 0; i < d / 2; i++) {
                double angle = pos / Math.pow(10000, 2.0 * i / d);
                assertEquals(Math.sin(angle), pe[pos][2 * i], 1e-6, "PE(" + pos + ", " + 2 * i + ")");
                assertEquals(Math.cos(angle), pe[pos][2 * i + 1], 1e-6, "PE(" + pos + ", " + (2 * i + 1) + ")");
            }
        }
        float[] table = translator.models().getFirst().parameters().get("src_embed.weight").value().toFloatArray();
        for (int pos = 0; pos < pe.length; pos++) {
            int id = beam.sourceIds()[pos];
            for (int j = 0; j < d; j++) {
                float embedded = table[id * d + j] * (float) Math.sqrt(d);
                assertEquals(embedded, beam.inputs().tokenEmbeddings()[pos][j], 1e-5);
                assertEquals(embedded + pe[pos][j], beam.inputs().encoderInput()[pos][j], 1e-5);
            }
        }
    }

    @Test
    void topKProbabilitiesAreTheTeacherForcedScores() {
        int[] output = beam.nbest().getFirst().tokens();
        TeacherForcedScorer.Scored scored = new TeacherForcedScorer(translator.models().getFirst())
                .score(beam.sourceIds(), output, BEAM.penalty());
        assertEquals(output.length + 1, beam.steps().size());
        for (int t = 0; t < beam.steps().size(); t++) {
            OutputStep s = beam.steps().get(t);
            assertEquals(scored.predicted()[t], s.chosen().id());
            assertEquals(Math.exp(scored.tokenLogProbabilities()[t]), s.probability(), 1e-5);
            assertEquals(5, s.top().size());
            for (int i = 1; i < s.top().size(); i++) {
                assertTrue(s.top().get(i - 1).probability() >= s.top().get(i).probability(), "top-k sorted at step " + t);
            }
            assertTrue(s.top().getFirst().probability() >= s.probability());
            s.top().stream().filter(p -> p.id() == s.chosen().id())
                    .forEach(p -> assertEquals(s.probability(), p.probability(), 1e-7));
        }
        assertEquals(translator.vocabularies().target().token(2), beam.steps().getLast().chosen().token(), "<eos> last");
    }

    @Test
    void theTreesFinishedHypothesesAreTheTranslatorsNbest() {
        Translation expected = translator.translate(List.of(SENTENCE), BEAM).getFirst();
        assertEquals(expected.hypotheses().size(), beam.nbest().size());
        for (int i = 0; i < beam.nbest().size(); i++) {
            Hypothesis e = expected.hypotheses().get(i);
            Hypothesis a = beam.nbest().get(i);
            assertEquals(e.text(), a.text());
            assertArrayEquals(e.tokens(), a.tokens());
            assertEquals(e.score(), a.score(), 1e-9);
        }
        assertEquals(expected.best(), beam.translation());

        List<Node> nodes = beam.beam().nodes();
        assertEquals(NodeKind.ROOT, nodes.getFirst().kind());
        List<Node> finished = new ArrayList<>();
        for (Node n : nodes.subList(1, nodes.size())) {
            Node parent = nodes.get(n.parent());
            assertEquals(parent.step() + 1, n.step(), "a candidate extends a hypothesis of the step before");
            assertTrue(parent.kind() == NodeKind.KEPT || parent.kind() == NodeKind.ROOT, "only kept hypotheses grow");
            if (n.kind() == NodeKind.FINISHED) {
                finished.add(n);
            }
        }
        for (int step = 1; step <= nodes.getLast().step(); step++) {
            int s = step;
            assertTrue(nodes.stream().filter(n -> n.step() == s && n.kind() == NodeKind.KEPT).count() <= 3, "step " + step);
            assertTrue(nodes.stream().filter(n -> n.step() == s).count() <= 6, "at most 2K candidates at step " + step);
        }
        finished.sort(Comparator.comparingDouble(Node::score).reversed());
        for (int i = 0; i < beam.nbest().size(); i++) {
            assertEquals(i + 1, finished.get(i).nbestRank());
            assertEquals(beam.nbest().get(i).score(), finished.get(i).score(), 1e-12);
            assertEquals(beam.nbest().get(i).logProbability(), finished.get(i).logProbability(), 1e-12);
        }
    }

    @Test
    void underThePenaltiesAgainstLoopsThePageShowsWhatTheSearchUsed() {
        DecodingOptions options = BEAM.withPenalties(1, 1.5, 0.3);
        Illustration il = new Illustrator(translator).illustrate(SENTENCE, options, 5);
        Translation expected = translator.translate(List.of(SENTENCE), options).getFirst();
        TeacherForcedScorer scorer = new TeacherForcedScorer(translator.models().getFirst());
        for (int i = 0; i < il.nbest().size(); i++) {
            Hypothesis h = il.nbest().get(i);
            assertArrayEquals(expected.hypotheses().get(i).tokens(), h.tokens());
            assertEquals(scorer.score(il.sourceIds(), h.tokens(), options).score(), h.score(), 1e-4);
            assertEquals(h.tokens().length, java.util.Arrays.stream(h.tokens()).distinct().count(), "no token twice");
        }
        // the softmax drawn at each step is the penalised one: the chosen token's probability is score's
        TeacherForcedScorer.Scored best = scorer.score(il.sourceIds(), il.nbest().getFirst().tokens(), options);
        for (int t = 0; t < il.steps().size(); t++) {
            assertEquals(Math.exp(best.tokenLogProbabilities()[t]), il.steps().get(t).probability(), 1e-5);
        }
        // and the finished nodes of the tree carry the scores with the coverage penalty
        for (Node n : il.beam().nodes()) {
            if (n.nbestRank() > 0) {
                assertEquals(il.nbest().get(n.nbestRank() - 1).score(), n.score(), 1e-12);
            }
        }
    }

    @Test
    void greedyDecodingHasNoTree() {
        Illustration greedy = new Illustrator(translator).illustrate(SENTENCE, DecodingOptions.greedy().withMaxLength(1, 4), 3);
        assertNull(greedy.beam());
        assertEquals(translator.translate(List.of(SENTENCE), DecodingOptions.greedy().withMaxLength(1, 4)).getFirst().best(),
                greedy.translation());
    }

    @Test
    void anEmptyOrTooLongSentenceIsRefused() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new Illustrator(translator).illustrate("   ", BEAM, 5));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> new Illustrator(translator, 3).illustrate(SENTENCE, BEAM, 5));
        assertTrue(tooLong.getMessage().contains("more than the limit of 3"), tooLong.getMessage());
    }
}
