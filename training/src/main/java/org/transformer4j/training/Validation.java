package org.transformer4j.training;

import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.training.data.Batch;

/** Loss, perplexity and token accuracy of a model on batches, without dropout and without gradients. */
public final class Validation {

    /**
     * Sums over target tokens.
     *
     * @param loss    Σ label-smoothed cross-entropy
     * @param nll     Σ negative log-likelihood
     * @param correct tokens whose argmax is the label
     */
    public record Totals(double loss, double nll, long correct, long tokens) {

        public Totals plus(Totals o) {
            return new Totals(loss + o.loss, nll + o.nll, correct + o.correct, tokens + o.tokens);
        }

        public double lossPerToken() {
            return loss / tokens;
        }

        public double perplexity() {
            return Math.exp(nll / tokens);
        }

        public double accuracy() {
            return (double) correct / tokens;
        }
    }

    private Validation() {
    }

    public static Totals evaluate(Transformer model, List<Batch> batches, float labelSmoothing) {
        Totals total = new Totals(0, 0, 0, 0);
        for (Batch b : batches) {
            try (TensorScope scope = TensorScope.open()) {
                Transformer.Forward f = model.forward(b.source(), b.targetInput(), ForwardContext.inference());
                CrossEntropyOutput ce = model.backend().crossEntropy(f.logits(), b.labels(), labelSmoothing,
                        model.config().padId());
                total = total.plus(totals(model.backend(), ce, model.backend().argmax(f.logits()), b.labels(),
                        model.config().padId()));
            }
        }
        return total;
    }

    /** The sums of one batch's loss output; {@code predicted} is the argmax of each row. */
    static Totals totals(Backend backend, CrossEntropyOutput ce, int[] predicted, int[] labels, int pad) {
        double loss = 0;
        for (float v : ce.loss().toFloatArray()) {
            loss += v;
        }
        double nll = 0;
        for (float v : ce.nll().toFloatArray()) {
            nll += v;
        }
        long correct = 0;
        long tokens = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != pad) {
                tokens++;
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
        }
        return new Totals(loss, nll, correct, tokens);
    }
}
