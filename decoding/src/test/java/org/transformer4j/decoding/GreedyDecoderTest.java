package org.transformer4j.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
 * Greedy decoding emits, at every step, the most probable next token of a full forward pass over the prefix,
 * stops at the length limit, and decodes a batch exactly as it decodes each sentence alone.
 */
class GreedyDecoderTest {

    @Test
    void everyTokenIsTheArgmaxOfTheFullForwardPassOnItsPrefix() {
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(2));
                Transformer model = Transformer.initialise(backend, TransformerConfig.builder("tiny").srcVocabSize(40)
                        .tgtVocabSize(40).dropout(0f).build(), 3)) {
            List<int[]> sources = List.of(new int[] {5, 9, 13, 21}, new int[] {7, 8});
            List<int[]> outputs = new GreedyDecoder(model).decode(sources, 1f, 3);
            for (int s = 0; s < sources.size(); s++) {
                int[] out = outputs.get(s);
                assertTrue(out.length <= sources.get(s).length + 3, "length limit");
                int[] prefix = {model.config().bosId()};
                for (int token : out) {
                    assertEquals(argmaxAfter(model, sources.get(s), prefix), token);
                    prefix = append(prefix, token);
                }
                if (out.length < sources.get(s).length + 3) {
                    assertEquals(model.config().eosId(), argmaxAfter(model, sources.get(s), prefix), "stopped at <eos>");
                }
                assertArrayEquals(out, new GreedyDecoder(model).decode(List.of(sources.get(s)), 1f, 3).getFirst(),
                        "the same alone as in a batch");
            }
        }
    }

    private static int argmaxAfter(Transformer model, int[] source, int[] prefix) {
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(TokenBatch.of(source), TokenBatch.of(prefix), ForwardContext.inference());
            int[] best = model.backend().argmax(f.logits());
            return best[best.length - 1];
        }
    }

    private static int[] append(int[] a, int x) {
        int[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = x;
        return b;
    }
}
