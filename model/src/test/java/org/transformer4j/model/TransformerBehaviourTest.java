package org.transformer4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.nn.ForwardContext;

/**
 * What the masks promise, observed from outside on the cpu backend: padding never changes a sentence's
 * result, the decoder never looks ahead, attention weights are distributions over the unmasked keys, and
 * initialisation is reproducible. Tolerance for "unchanged": 2e-5 (float32, different batch shapes).
 */
class TransformerBehaviourTest {

    private Backend backend;
    private Transformer model;

    @BeforeEach
    void open() {
        backend = Backends.open("cpu", BackendOptions.threads(2));
    }

    @AfterEach
    void close() {
        if (model != null) {
            model.close();
        }
        backend.close();
    }

    private Transformer model(Norm norm) {
        model = Transformer.initialise(backend, TransformerConfig.builder("tiny").srcVocabSize(30).tgtVocabSize(30)
                .norm(norm).build(), 42);
        return model;
    }

    private float[] logits(TokenBatch source, TokenBatch target) {
        try (TensorScope scope = TensorScope.open()) {
            return model.forward(source, target, ForwardContext.inference()).logits().toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"post", "pre"})
    void aSentenceGetsTheSameScoresAloneAndPaddedInABatch(String norm) {
        model(Norm.of(norm));
        int[] src = {5, 6, 7};
        int[] tgt = {1, 8, 9};
        float[] alone = logits(TokenBatch.of(src), TokenBatch.of(tgt));
        TokenBatch sources = TokenBatch.of(List.of(new int[] {11, 12, 13, 14, 15, 16}, src), 0);
        TokenBatch targets = TokenBatch.of(List.of(new int[] {1, 20, 21, 22, 23}, tgt), 0);
        float[] batched = logits(sources, targets);
        int v = 30;
        // Row 1 of the batch, its first 3 positions (of 5), against the sentence alone.
        float[] second = Arrays.copyOfRange(batched, 5 * v, 5 * v + 3 * v);
        assertClose(alone, second);
    }

    @Test
    void whatIsWrittenInThePaddingDoesNotMatter() {
        model(Norm.POST);
        TokenBatch clean = new TokenBatch(new int[] {5, 6, 0, 0}, 1, 4, new int[] {2});
        TokenBatch dirty = new TokenBatch(new int[] {5, 6, 17, 29}, 1, 4, new int[] {2});
        TokenBatch target = TokenBatch.of(new int[] {1, 4, 9});
        assertClose(logits(clean, target), logits(dirty, target));
    }

    @Test
    void theDecoderDoesNotLookAhead() {
        model(Norm.POST);
        TokenBatch source = TokenBatch.of(new int[] {5, 6, 7, 8});
        float[] a = logits(source, TokenBatch.of(new int[] {1, 10, 11, 12}));
        float[] b = logits(source, TokenBatch.of(new int[] {1, 10, 25, 26}));
        int v = 30;
        // Positions 0 and 1 saw only <bos> and 10 in both runs; position 2 onwards saw different tokens.
        assertClose(Arrays.copyOf(a, 2 * v), Arrays.copyOf(b, 2 * v));
        assertNotEquals(a[2 * v], b[2 * v]);
        // And the source matters: encoder-decoder attention is wired.
        float[] c = logits(TokenBatch.of(new int[] {9, 6, 7, 8}), TokenBatch.of(new int[] {1, 10, 11, 12}));
        assertNotEquals(a[0], c[0]);
    }

    @Test
    void attentionWeightsAreDistributionsOverUnmaskedKeys() {
        model(Norm.POST);
        TokenBatch sources = TokenBatch.of(List.of(new int[] {5, 6, 7, 8}, new int[] {9, 10}), 0);
        TokenBatch targets = TokenBatch.of(List.of(new int[] {1, 3, 4}, new int[] {1, 5, 6}), 0);
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(sources, targets, ForwardContext.inference());
            float[] enc = f.encoder().layers().get(0).attention().probs().toFloatArray(); // (2, 4 heads, 4, 4)
            float[] self = f.decoder().layers().get(1).selfAttention().probs().toFloatArray(); // (2, 4, 3, 3)
            float[] cross = f.decoder().layers().get(0).crossAttention().probs().toFloatArray(); // (2, 4, 3, 4)
            for (int row = 0; row < 2 * 4 * 4; row++) {
                assertEquals(1f, enc[row * 4] + enc[row * 4 + 1] + enc[row * 4 + 2] + enc[row * 4 + 3], 1e-5f);
                if (row >= 16) { // the second sentence has 2 real tokens: keys 2 and 3 are padding
                    assertEquals(0f, enc[row * 4 + 2]);
                    assertEquals(0f, enc[row * 4 + 3]);
                }
            }
            for (int row = 0; row < 2 * 4 * 3; row++) {
                int query = row % 3;
                for (int key = query + 1; key < 3; key++) {
                    assertEquals(0f, self[row * 3 + key], "query " + query + " must not see key " + key);
                }
                if (row >= 12) {
                    assertEquals(0f, cross[row * 4 + 2]);
                    assertEquals(0f, cross[row * 4 + 3]);
                }
            }
        }
    }

    @Test
    void initialisationIsReproducibleAndSeeded() {
        TransformerConfig config = TransformerConfig.preset("tiny", 30, 30);
        try (Transformer a = Transformer.initialise(backend, config, 7);
                Transformer b = Transformer.initialise(backend, config, 7);
                Transformer c = Transformer.initialise(backend, config, 8)) {
            String name = "decoder.layers.1.cross_attn.v_proj.weight";
            float[] wa = a.parameters().get(name).value().toFloatArray();
            assertArrayEquals(wa, b.parameters().get(name).value().toFloatArray());
            assertTrue(!Arrays.equals(wa, c.parameters().get(name).value().toFloatArray()));
            double limit = Math.sqrt(6.0 / (64 + 64));
            for (float w : wa) {
                assertTrue(Math.abs(w) <= limit, "Xavier uniform bound");
            }
            assertArrayEquals(new float[64], a.parameters().get("encoder.layers.0.ffn.fc2.bias").value().toFloatArray());
            float[] ones = new float[64];
            Arrays.fill(ones, 1f);
            assertArrayEquals(ones, a.parameters().get("decoder.layers.0.ffn_norm.weight").value().toFloatArray());
        }
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        model(Norm.POST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> logits(TokenBatch.of(new int[] {5, 30}), TokenBatch.of(new int[] {1})));
        assertTrue(e.getMessage().contains("source token id 30 (sequence 0, position 1) is outside the vocabulary of 30"),
                e.getMessage());
    }

    @Test
    void aForwardAndBackwardStepReleasesAllItsMemory() {
        model(Norm.PRE);
        TokenBatch s = TokenBatch.of(List.of(new int[] {5, 6, 7}, new int[] {8}), 0);
        TokenBatch t = TokenBatch.of(List.of(new int[] {1, 9}, new int[] {1, 10, 11}), 0);
        int[] labels = {9, 2, 0, 10, 11, 2};
        logits(s, t); // the position table is built on first use and belongs to the model
        long before = backend.memory().inUse();
        for (int step = 0; step < 2; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Transformer.Forward f = model.forward(s, t, ForwardContext.training(step));
                model.backward(f, backend.crossEntropyWithGradient(f.logits(), labels, 0.1f, 0, 0.25f).grad());
            }
            long gradients = model.parameters().values().stream().mapToLong(p -> p.gradient().size() * 4).sum();
            assertEquals(before + gradients, backend.memory().inUse(), "only the gradients outlive the step");
            model.zeroGradients();
            assertEquals(before, backend.memory().inUse());
        }
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5f * (1 + Math.abs(expected[i])), "element " + i);
        }
    }
}
