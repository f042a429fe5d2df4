package org.transformer4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.Batcher;
import org.transformer4j.training.data.Example;

class FlopCountingBackendTest {

    /**
     * The counter, run over a real training step of the tiny preset, against the FLOPs derived by hand from the
     * paper's architecture: every product is {@code 2·rows·in·out}, attention's two per head are
     * {@code 2·Tq·Tk·d_k} each (so {@code 2·Tq·Tk·d} over the heads), and backward does two products of each
     * forward product's size (the gradients of both operands), so a step is three forward passes.
     */
    @Test
    void aTrainingStepCountsTheFlopsOfTheArchitecture() {
        TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(100).tgtVocabSize(100)
                .tieEmbeddings(TransformerConfig.TieEmbeddings.ALL).build();
        // Sources and targets of different lengths, so that mixing up S and T would show.
        List<Example> pairs = List.of(new Example(ids(5), ids(3)), new Example(ids(9), ids(4)), new Example(ids(6), ids(2)));
        Batch batch = new Batcher(pairs, Integer.MAX_VALUE, config.padId(), config.bosId(), config.eosId()).make(pairs);
        long b = 3;
        long s = 9;      // the longest source
        long t = 4 + 1;  // the longest target, after <bos>
        assertEquals(s, batch.source().length());
        assertEquals(t, batch.targetInput().length());

        long d = config.dModel();
        long ff = config.dFF();
        long vocab = config.tgtVocabSize();
        long encoderLayer = 4 * 2 * b * s * d * d   // q, k, v, output projections
                + 2 * 2 * b * s * s * d             // Q·Kᵀ and weights·V, all heads
                + 2 * 2 * b * s * d * ff;           // the two feed-forward layers
        long decoderLayer = 4 * 2 * b * t * d * d + 2 * 2 * b * t * t * d // self-attention
                + 2 * 2 * b * t * d * d             // cross-attention: q and output projections of the target rows
                + 2 * 2 * b * s * d * d             // ... k and v projections of the encoder output
                + 2 * 2 * b * t * s * d             // ... Q·Kᵀ and weights·V
                + 2 * 2 * b * t * d * ff;
        long forward = config.encoderLayers() * encoderLayer + config.decoderLayers() * decoderLayer
                + 2 * b * t * d * vocab;            // the output projection onto the vocabulary
        long expected = 3 * forward;

        try (FlopCountingBackend backend = new FlopCountingBackend(Backends.open("cpu", BackendOptions.threads(1)));
                Transformer model = Transformer.initialise(backend, config, 1)) {
            backend.resetFlops(); // initialisation does no matmul, but the count is of the step alone
            try (TensorScope scope = TensorScope.open()) {
                Transformer.Forward f = model.forward(batch.source(), batch.targetInput(), ForwardContext.training(0));
                CrossEntropyOutput ce = backend.crossEntropyGradientInPlace(f.logits(), batch.labels(), 0.1f,
                        config.padId(), 1f / batch.targetTokens());
                model.backward(f, ce.grad());
            }
            assertEquals(expected, backend.flops());
        }
    }

    @Test
    void batchedAndTransposedProductsCountEveryMatrix() {
        assertEquals(2L * 6 * 4 * 5, FlopCountingBackend.matmulFlops(Shape.of(6, 5), Shape.of(5, 4), false));
        assertEquals(2L * 6 * 4 * 5, FlopCountingBackend.matmulFlops(Shape.of(5, 6), Shape.of(4, 5), true));
        assertEquals(2L * 3 * 2 * 6 * 4 * 5, FlopCountingBackend.matmulFlops(Shape.of(3, 2, 6, 5), Shape.of(3, 2, 5, 4), false));
    }

    /** A method it did not override would run the interface's default, not the wrapped backend's own (fused) one. */
    @Test
    void everyBackendMethodIsForwarded() {
        for (Method m : Backend.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                assertEquals(FlopCountingBackend.class,
                        FlopCountingBackend.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(),
                        m + " is not forwarded");
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static int[] ids(int length) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = 4 + (7 * i) % 90;
        }
        return ids;
    }
}
