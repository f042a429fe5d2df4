package org.transformer4j.decoding.illustrate;

import java.util.List;

import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;

/**
 * Everything the figures of "The Illustrated Transformer" need for one model and one sentence, taken from the
 * code that translates: the subwords, the vectors that enter the encoder, every attention weight, the softmax
 * over the target vocabulary at each output step, and the beam search's tree. {@link Illustrator} makes it;
 * {@code t4j illustrate} draws it or writes it as JSON.
 *
 * @param config      the model's configuration
 * @param backend     the backend that computed it
 * @param options     how the sentence was decoded
 * @param source      the sentence
 * @param sourceIds   its subword ids (the encoder's positions)
 * @param sourceTokens its subwords
 * @param inputs      the vectors at the bottom of the encoder
 * @param translation the best translation's text
 * @param attention   every attention weight of the model reading the source and writing the best translation
 * @param steps       per output position (the translation's subwords, then {@code <eos>}): the softmax's top-k
 * @param beam        the beam search's candidates as a tree; null for greedy decoding (beam 1)
 * @param nbest       the search's outputs, best first (what {@code t4j translate --nbest} prints)
 */
public record Illustration(TransformerConfig config, String backend, DecodingOptions options, String source,
        int[] sourceIds, List<String> sourceTokens, Inputs inputs, String translation, AttentionWeights attention,
        List<OutputStep> steps, BeamTree beam, List<Hypothesis> nbest) {

    public Illustration {
        sourceTokens = List.copyOf(sourceTokens);
        steps = List.copyOf(steps);
        nbest = List.copyOf(nbest);
    }

    /**
     * The encoder's input, one row per source position, {@code [S][d_model]}: the token embedding scaled by
     * {@code sqrt(d_model)}, the sinusoidal position encoding, and their sum (what the first layer reads).
     */
    public record Inputs(float[][] tokenEmbeddings, float[][] positions, float[][] encoderInput) {
    }

    /** A target token and the probability the softmax gave it. */
    public record TokenProbability(int id, String token, float probability) {
    }

    /**
     * One output step: the decoder has read {@code <bos>} and the translation's first {@code position} subwords
     * and predicts the next one.
     *
     * @param chosen      the token the translation has there ({@code <eos>} at the last step)
     * @param probability the probability of the chosen token
     * @param top         the {@code k} most probable tokens, most probable first
     */
    public record OutputStep(int position, TokenProbability chosen, float probability, List<TokenProbability> top) {

        public OutputStep {
            top = List.copyOf(top);
        }
    }

    /** What a node of the beam tree is. */
    public enum NodeKind {
        /** the empty hypothesis, {@code <bos>} */
        ROOT,
        /** kept in the beam for the next step */
        KEPT,
        /** ended with {@code <eos>}: a finished hypothesis */
        FINISHED,
        /** ranked out at its step */
        PRUNED
    }

    /**
     * One hypothesis the search considered.
     *
     * @param id             its index in {@link BeamTree#nodes()}
     * @param parent         the id of the hypothesis it extends (-1 for the root)
     * @param step           its length in tokens (the root 0)
     * @param rank           its rank among the candidates of its step, 0 the best
     * @param token          the token it adds
     * @param text           that token's subword
     * @param logProbability the log-probability of the whole hypothesis
     * @param score          a finished hypothesis's score under the length penalty; NaN otherwise
     * @param nbestRank      its place in the n-best list (1 = the translation), 0 when it is not there
     */
    public record Node(int id, int parent, int step, int rank, int token, String text, NodeKind kind,
            double logProbability, double score, int nbestRank) {
    }

    /** The beam search as a tree: every candidate of every step, in the order the search ranked them. */
    public record BeamTree(int beamSize, double lengthPenalty, List<Node> nodes) {

        public BeamTree {
            nodes = List.copyOf(nodes);
        }
    }
}
