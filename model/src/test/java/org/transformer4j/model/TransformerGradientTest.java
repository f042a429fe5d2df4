package org.transformer4j.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.api.testing.Float64Backend;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.Positional;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.Parameter;

/**
 * The backward pass is the gradient of the loss: on the {@code tiny} preset, computed in float64 by the
 * reference backend, every parameter's analytic gradient matches central finite differences
 * ({@code h = 1e-6}) within {@code 1e-6 + 1e-5·|fd|}, at sampled entries of every parameter tensor, for
 * post-norm and pre-norm, every embedding tie, both position layouts, with padding in source and target,
 * and with dropout (whose masks are fixed by the seed).
 */
class TransformerGradientTest {

    private static final double H = 1e-6;

    @ParameterizedTest(name = "norm={0} tie={1} positional={2} dropout={3}")
    @CsvSource({
            "post, none, sinusoidal, 0.0",
            "pre, none, sinusoidal, 0.0",
            "post, decoder, sinusoidal-concat, 0.0",
            "pre, all, sinusoidal, 0.0",
            "post, all, sinusoidal, 0.1",
            "pre, decoder, sinusoidal-concat, 0.1"})
    void analyticGradientsMatchFiniteDifferences(String norm, String tie, String positional, float dropout) {
        TieEmbeddings tieEmbeddings = TieEmbeddings.of(tie);
        TransformerConfig config = TransformerConfig.builder("tiny")
                .srcVocabSize(tieEmbeddings == TieEmbeddings.ALL ? 13 : 11).tgtVocabSize(13)
                .norm(Norm.of(norm)).tieEmbeddings(tieEmbeddings).positional(Positional.of(positional))
                .dropout(dropout).build();
        Float64Backend backend = new Float64Backend();
        // Two sentences of different lengths on each side: the batch has padding in source and target.
        TokenBatch source = TokenBatch.of(List.of(new int[] {5, 6, 7, 8, 9}, new int[] {4, 10, 5}), config.padId());
        TokenBatch targetIn = TokenBatch.of(List.of(new int[] {1, 7, 8, 9}, new int[] {1, 12}), config.padId());
        int[] labels = labels(List.of(new int[] {7, 8, 9, 2}, new int[] {12, 2}), targetIn.length(), config.padId());
        long seed = 77;
        Supplier<ForwardContext> context = () -> dropout > 0 ? ForwardContext.training(seed) : ForwardContext.inference();

        try (Transformer model = Transformer.initialise(backend, config, 1234)) {
            try (TensorScope scope = TensorScope.open()) {
                Transformer.Forward f = model.forward(source, targetIn, context.get());
                CrossEntropyOutput ce = backend.crossEntropyWithGradient(f.logits(), labels, 0.1f, config.padId(), 1f);
                model.backward(f, ce.grad());
            }
            List<String> failures = new ArrayList<>();
            SplittableRandom pick = new SplittableRandom(9);
            for (Parameter p : model.parameters().values()) {
                assertNotNull(p.gradient(), "no gradient for " + p.name());
                double[] value = backend.data(p.value());
                double[] grad = backend.data(p.gradient());
                for (int sample = 0; sample < 3; sample++) {
                    int i = interestingIndex(p, grad, pick);
                    double keep = value[i];
                    value[i] = keep + H;
                    double up = loss(model, backend, source, targetIn, labels, context.get());
                    value[i] = keep - H;
                    double down = loss(model, backend, source, targetIn, labels, context.get());
                    value[i] = keep;
                    double fd = (up - down) / (2 * H);
                    if (Math.abs(grad[i] - fd) > 1e-6 + 1e-5 * Math.abs(fd)) {
                        failures.add(p.name() + "[" + i + "]: analytic " + grad[i] + ", finite difference " + fd);
                    }
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " gradients differ:\n" + String.join("\n", failures));
            }
        }
    }

    /** For embedding tables, an entry of a row that is used (other rows have a zero gradient, trivially right). */
    private static int interestingIndex(Parameter p, double[] grad, SplittableRandom pick) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int i = pick.nextInt(grad.length);
            if (grad[i] != 0) {
                return i;
            }
        }
        return pick.nextInt(grad.length);
    }

    private static double loss(Transformer model, Float64Backend backend, TokenBatch source, TokenBatch targetIn,
            int[] labels, ForwardContext context) {
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(source, targetIn, context);
            double[] rows = backend.data(backend.crossEntropy(f.logits(), labels, 0.1f, model.config().padId()).loss());
            double sum = 0;
            for (double r : rows) {
                sum += r;
            }
            return sum;
        }
    }

    static int[] labels(List<int[]> sequences, int length, int pad) {
        int[] out = new int[sequences.size() * length];
        java.util.Arrays.fill(out, pad);
        for (int b = 0; b < sequences.size(); b++) {
            System.arraycopy(sequences.get(b), 0, out, b * length, sequences.get(b).length);
        }
        return out;
    }
}
