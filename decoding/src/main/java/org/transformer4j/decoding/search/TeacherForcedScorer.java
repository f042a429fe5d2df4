package org.transformer4j.decoding.search;

import java.util.List;

import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;

/**
 * The model's score of a given output (fairseq's and Marian's scoring), with teacher forcing: the decoder reads
 * {@code <bos>} + target and predicts target + {@code <eos>}; the log-probability is the sum over those
 * predictions, and the score applies the same {@link LengthPenalty} as the searches, so a search's reported
 * score of a hypothesis equals its score here.
 */
public final class TeacherForcedScorer {

    private final Transformer model;

    public TeacherForcedScorer(Transformer model) {
        this.model = model;
    }

    /** @param tokenLogProbabilities one per predicted token, {@code <eos>} last */
    public record Scored(int[] predicted, float[] tokenLogProbabilities, double logProbability, double score) {
    }

    public Scored score(int[] source, int[] target, LengthPenalty penalty) {
        TransformerConfig c = model.config();
        int[] decoderInput = new int[target.length + 1];
        decoderInput[0] = c.bosId();
        System.arraycopy(target, 0, decoderInput, 1, target.length);
        int[] predicted = java.util.Arrays.copyOf(target, target.length + 1);
        predicted[target.length] = c.eosId();
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(TokenBatch.of(List.of(source), c.padId()), TokenBatch.of(decoderInput),
                    ForwardContext.inference());
            // Without label smoothing, the per-token loss is exactly −log p(token).
            CrossEntropyOutput ce = model.backend().crossEntropy(f.logits(), predicted, 0f, -1);
            float[] nll = ce.nll().toFloatArray();
            float[] lp = new float[nll.length];
            double sum = 0;
            for (int i = 0; i < nll.length; i++) {
                lp[i] = -nll[i];
                sum += lp[i];
            }
            return new Scored(predicted, lp, sum, penalty.score(sum, predicted.length));
        }
    }
}
