package org.transformer4j.it.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.api.testing.Float64Backend;
import org.transformer4j.it.conformance.BackendsUnderTest;
import org.transformer4j.model.ParameterSource;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.Parameter;

/**
 * The whole model's gradients on every backend equal those of the float64 reference backend (which
 * TransformerGradientTest checks against finite differences): per parameter,
 * {@code ‖g − g_ref‖ ≤ 1e-4·‖g_ref‖ + 1e-7}, on the tiny preset with padding and dropout (the dropout masks
 * are the same on every backend by definition), post- and pre-norm.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class ModelGradientsAcrossBackendsTest {

    private final String name;

    ModelGradientsAcrossBackendsTest(String name) {
        this.name = name;
    }

    @Test
    void everyParameterGradientMatchesTheFloat64Reference() {
        try (Backend backend = BackendsUnderTest.open(name)) {
            for (Norm norm : Norm.values()) {
                TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(30).tgtVocabSize(30).norm(norm)
                        .tieEmbeddings(TieEmbeddings.DECODER).build();
                List<String> failures = new ArrayList<>();
                try (Transformer tested = new Transformer(backend, config, ParameterSource.initialiser(4));
                        Transformer reference = new Transformer(new Float64Backend(), config, ParameterSource.initialiser(4))) {
                    step(tested);
                    step(reference);
                    for (Parameter p : tested.parameters().values()) {
                        Tensor g = p.gradient();
                        assertNotNull(g, p.name());
                        float[] got = g.toFloatArray();
                        double[] want = ((Float64Backend) reference.backend()).data(reference.parameters().get(p.name()).gradient());
                        double diff = 0;
                        double ref = 0;
                        for (int i = 0; i < got.length; i++) {
                            diff += (got[i] - want[i]) * (got[i] - want[i]);
                            ref += want[i] * want[i];
                        }
                        if (Math.sqrt(diff) > 1e-4 * Math.sqrt(ref) + 1e-7) {
                            failures.add(String.format("%s: |g - g_ref| = %.3g, |g_ref| = %.3g", p.name(), Math.sqrt(diff), Math.sqrt(ref)));
                        }
                    }
                }
                if (!failures.isEmpty()) {
                    fail(norm + ": " + failures.size() + " gradients differ:\n" + String.join("\n", failures));
                }
            }
        }
    }

    private static void step(Transformer model) {
        TokenBatch source = TokenBatch.of(List.of(new int[] {5, 6, 7, 8, 9, 10}, new int[] {11, 12}, new int[] {13, 14, 15}), 0);
        TokenBatch targetIn = TokenBatch.of(List.of(new int[] {1, 16, 17}, new int[] {1, 18, 19, 20, 21}, new int[] {1}), 0);
        int[] labels = {16, 17, 2, 0, 0, 18, 19, 20, 21, 2, 2, 0, 0, 0, 0};
        Backend b = model.backend();
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(source, targetIn, ForwardContext.training(99));
            model.backward(f, b.crossEntropyWithGradient(f.logits(), labels, 0.1f, 0, 1f / 9).grad());
        }
    }
}
