package org.transformer4j.decoding.search;

import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.Tensor;
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
 *
 * <p>Under {@link DecodingOptions} with penalties against loops it scores as the searches do: the prediction at
 * position {@code t} is penalised by {@link TokenPenalties} from {@code target[0 .. t)} (the same host code as
 * {@link PenalizedStepModel}), and the {@link CoveragePenalty} sums the attention of every predicting position.
 */
public final class TeacherForcedScorer {

    private final Transformer model;

    public TeacherForcedScorer(Transformer model) {
        this.model = model;
    }

    /**
     * @param tokenLogProbabilities one per predicted token, {@code <eos>} last
     * @param coveragePenalty       the coverage penalty included in {@code score} (0 when off)
     */
    public record Scored(int[] predicted, float[] tokenLogProbabilities, double logProbability, double coveragePenalty,
            double score) {
    }

    /** The score under a length penalty alone. */
    public Scored score(int[] source, int[] target, LengthPenalty penalty) {
        return score(source, target, penalty, TokenPenalties.NONE, CoveragePenalty.NONE);
    }

    /** The score a search under {@code options} reports for {@code target}. */
    public Scored score(int[] source, int[] target, DecodingOptions options) {
        return score(source, target, options.penalty(), options.tokenPenalties(), options.coverage());
    }

    public Scored score(int[] source, int[] target, LengthPenalty penalty, TokenPenalties penalties,
            CoveragePenalty coverage) {
        TransformerConfig c = model.config();
        Backend backend = model.backend();
        int[] decoderInput = new int[target.length + 1];
        decoderInput[0] = c.bosId();
        System.arraycopy(target, 0, decoderInput, 1, target.length);
        int[] predicted = java.util.Arrays.copyOf(target, target.length + 1);
        predicted[target.length] = c.eosId();
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(TokenBatch.of(List.of(source), c.padId()), TokenBatch.of(decoderInput),
                    ForwardContext.inference());
            float[] lp = penalties.active() ? penalised(backend, f.logits(), target, predicted, penalties)
                    : logProbabilities(backend, f.logits(), predicted);
            double sum = 0;
            for (float v : lp) {
                sum += v;
            }
            double cp = coverage.active()
                    ? coverage.of(coverage(backend, f.decoder().layers().getLast().crossAttention().probs(), source.length))
                    : 0;
            return new Scored(predicted, lp, sum, cp, penalty.score(sum, predicted.length) + cp);
        }
    }

    private static float[] logProbabilities(Backend backend, Tensor logits, int[] predicted) {
        // Without label smoothing, the per-token loss is exactly −log p(token).
        CrossEntropyOutput ce = backend.crossEntropy(logits, predicted, 0f, -1);
        float[] nll = ce.nll().toFloatArray();
        float[] lp = new float[nll.length];
        for (int i = 0; i < nll.length; i++) {
            lp[i] = -nll[i];
        }
        return lp;
    }

    private static float[] penalised(Backend backend, Tensor logits, int[] target, int[] predicted,
            TokenPenalties penalties) {
        int vocab = logits.shape().last();
        float[] rows = backend.toHost(logits);
        penalties.logProbabilities(rows, predicted.length, vocab, target);
        float[] lp = new float[predicted.length];
        for (int t = 0; t < lp.length; t++) {
            lp[t] = rows[t * vocab + predicted[t]];
        }
        return lp;
    }

    /** The head-averaged attention {@code (1, H, T, S)} summed over the T predicting positions. */
    private static double[] coverage(Backend backend, Tensor probs, int sourceLength) {
        int heads = probs.shape().dim(1);
        int positions = probs.shape().dim(2);
        float[] host = backend.toHost(probs);
        double[] covered = null;
        for (int t = 0; t < positions; t++) {
            covered = CoveragePenalty.plus(covered, HeadAverage.of(host, heads, positions, probs.shape().dim(3), 0, t,
                    sourceLength));
        }
        return covered;
    }
}
