package org.transformer4j.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.BpeTrainer;
import org.transformer4j.model.vocab.Tokenizer;
import org.transformer4j.model.vocab.Vocabularies;

/** Text in, text out: ordering, batching, n-best, prefixes, lines that cannot be translated, attention weights. */
class TranslatorTest {

    static final List<String> LINES = List.of("En el principio creó Dios los cielos y la tierra.",
            "Y la tierra estaba desordenada y vacía.", "Y dijo Dios: Sea la luz; y fué la luz.", "la luz", "Dios");

    @TempDir
    static Path dir;
    static Backend backend;
    static Path modelDir;
    static Path otherDir;

    @BeforeAll
    static void setUp() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
        List<String> text = new ArrayList<>(LINES);
        text.addAll(List.of("In the beginning God created the heavens and the earth.", "And God said, Let there be light."));
        Tokenizer tokenizer = new BpeTrainer(300, 1).train(text);
        ModelStore store = new ModelStore(backend);
        modelDir = dir.resolve("m");
        otherDir = dir.resolve("o");
        for (Path d : List.of(modelDir, otherDir)) {
            TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(tokenizer.size())
                    .tgtVocabSize(tokenizer.size()).build();
            try (Transformer m = store.initialise(config, d == modelDir ? 1 : 2)) {
                store.save(m, d);
            }
            new Vocabularies(tokenizer, tokenizer, true).write(d);
        }
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    private static Translator open(int batchSize, int maxTokens, Path... dirs) {
        return new Translators(new ModelStore(backend)).open(List.of(dirs), batchSize, maxTokens);
    }

    @Test
    void resultsComeBackInInputOrderWhateverTheBatching() {
        DecodingOptions options = DecodingOptions.defaults().withBeam(3, 2).withMaxLength(1, 4);
        try (Translator one = open(1, 1024, modelDir); Translator three = open(3, 1024, modelDir)) {
            List<Translation> a = one.translate(LINES, options);
            List<Translation> b = three.translate(LINES, options);
            for (int i = 0; i < LINES.size(); i++) {
                assertEquals(LINES.get(i), a.get(i).source());
                assertEquals(LINES.get(i), b.get(i).source());
                assertEquals(2, a.get(i).hypotheses().size());
                for (int h = 0; h < 2; h++) {
                    assertEquals(a.get(i).hypotheses().get(h).text(), b.get(i).hypotheses().get(h).text());
                    assertEquals(a.get(i).hypotheses().get(h).score(), b.get(i).hypotheses().get(h).score(), 1e-4);
                }
                assertEquals(one.vocabularies().target().decode(a.get(i).hypotheses().getFirst().tokens()), a.get(i).best());
            }
        }
    }

    @Test
    void aPartOfTheInputTranslatedWithItsLineIndicesGetsWhatTheWholeInputGets() {
        // How the Spark jobs translate one partition at a time: the samples are seeded by the line's index in the
        // whole input and warnings name its line, whatever part of the input a call holds.
        DecodingOptions options = DecodingOptions.defaults().withMaxLength(1, 4).withSampling(2, 1f, 0, 1f, 5);
        try (Translator t = open(8, 1024, modelDir)) {
            List<Translation> whole = t.translate(LINES, null, options);
            List<Translation> part = t.translate(LINES.subList(2, 5), null, new long[] {2, 3, 4}, options);
            List<Translation> unkeyed = t.translate(LINES.subList(2, 5), null, options);
            for (int i = 0; i < 3; i++) {
                assertEquals(texts(whole.get(i + 2)), texts(part.get(i)), "line " + (i + 3));
            }
            assertTrue(!texts(whole.get(2)).equals(texts(unkeyed.get(0))) || !texts(whole.get(3)).equals(texts(unkeyed.get(1))),
                    "the keys matter: without them the part is seeded from 0");
        }
        try (Translator t = open(8, 6, modelDir)) { // line 1 has more than 6 subwords
            List<Translation> part = t.translate(LINES.subList(0, 1), null, new long[] {41}, DecodingOptions.greedy());
            assertTrue(part.getFirst().warning().startsWith("line 42 has"), part.getFirst().warning());
        }
    }

    private static List<String> texts(Translation t) {
        return t.hypotheses().stream().map(Hypothesis::text).toList();
    }

    @Test
    void aPrefixStartsTheTranslation() {
        try (Translator t = open(8, 1024, modelDir)) {
            List<Translation> out = t.translate(LINES.subList(0, 2), List.of("In the", ""), DecodingOptions.greedy());
            assertTrue(out.get(0).best().startsWith("In the"), out.get(0).best());
            assertNull(out.get(1).warning());
        }
    }

    @Test
    void emptyAndOverlongLinesStayEmptyWithoutShiftingTheOthers() {
        List<String> input = List.of(LINES.get(3), "", LINES.get(0), LINES.get(4));
        try (Translator t = open(8, 6, modelDir); Translator unlimited = open(8, 1024, modelDir)) {
            List<Translation> out = t.translate(input, DecodingOptions.greedy());
            assertEquals("", out.get(1).best());
            assertNull(out.get(1).warning(), "an empty line is not an error");
            assertEquals("", out.get(2).best());
            assertNotNull(out.get(2).warning());
            assertTrue(out.get(2).warning().startsWith("line 3 has"), out.get(2).warning());
            List<String> expected = unlimited.translate(List.of(LINES.get(3), LINES.get(4)), DecodingOptions.greedy())
                    .stream().map(Translation::best).toList();
            assertEquals(expected.get(0), out.get(0).best());
            assertEquals(expected.get(1), out.get(3).best());
        }
    }

    @Test
    void attentionWeightsCoverEveryLayerHeadAndPositionAndAreDistributions() {
        try (Translator t = open(8, 1024, modelDir)) {
            String target = t.translate(List.of(LINES.get(2))).getFirst();
            AttentionWeights w = t.attention(LINES.get(2), target);
            int s = w.sourceTokens().size();
            int n = w.decoderInputTokens().size();
            assertEquals("<bos>", w.decoderInputTokens().getFirst());
            assertEquals("<eos>", w.predictedTokens().getLast());
            assertEquals(2, w.encoderSelf().length);
            assertEquals(4, w.encoderSelf()[0].length);
            assertEquals(n, w.encoderDecoder()[1][3].length);
            assertEquals(s, w.encoderDecoder()[1][3][0].length);
            for (float[][][][] kind : List.of(w.encoderSelf(), w.decoderSelf(), w.encoderDecoder())) {
                for (float[][][] layer : kind) {
                    for (float[][] head : layer) {
                        for (float[] row : head) {
                            double sum = 0;
                            for (float v : row) {
                                sum += v;
                            }
                            assertEquals(1, sum, 1e-5);
                        }
                    }
                }
            }
            assertEquals(0f, w.decoderSelf()[0][0][0][1], "the first position cannot see the second");
        }
    }

    @Test
    void anEnsembleNeedsOneVocabulary(@TempDir Path other) {
        Tokenizer different = new BpeTrainer(280, 1).train(LINES);
        ModelStore store = new ModelStore(backend);
        try (Transformer m = store.initialise(TransformerConfig.builder("tiny").srcVocabSize(different.size())
                .tgtVocabSize(different.size()).build(), 3)) {
            store.save(m, other);
        }
        new Vocabularies(different, different, true).write(other);
        assertThrows(IllegalArgumentException.class, () -> open(8, 1024, modelDir, other));
        try (Translator ensemble = open(8, 1024, modelDir, otherDir)) {
            assertEquals(LINES.size(), ensemble.translate(LINES).size());
        }
    }
}
