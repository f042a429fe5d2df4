package org.transformer4j.decoding.illustrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.illustrate.Illustration.BeamTree;
import org.transformer4j.decoding.illustrate.Illustration.Inputs;
import org.transformer4j.decoding.illustrate.Illustration.Node;
import org.transformer4j.decoding.illustrate.Illustration.NodeKind;
import org.transformer4j.decoding.illustrate.Illustration.OutputStep;
import org.transformer4j.decoding.illustrate.Illustration.TokenProbability;
import org.transformer4j.decoding.search.BeamObserver;
import org.transformer4j.decoding.search.BeamSearch;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.decoding.search.Search;
import org.transformer4j.decoding.search.SequenceDecoder;
import org.transformer4j.decoding.search.TokenPenalties;
import org.transformer4j.model.Decoder;
import org.transformer4j.model.Encoder;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.PositionalEncoding;
import org.transformer4j.model.vocab.Tokenizer;

/**
 * Translates one sentence and gathers what the figures of "The Illustrated Transformer" show, from the code that
 * translates, never a second implementation: the search is {@link SequenceDecoder} with the options' own search
 * (a {@link BeamSearch} watched by a {@link BeamObserver}); the attention weights are
 * {@link Translator#attention(int[], int[])} of the best output; the encoder's input and the softmax at each output
 * step come from the model's own {@link Transformer#encode}, {@link Transformer#decode} and
 * {@link Transformer#logProbabilities}, with teacher forcing on the best output (as {@code t4j score} does); under
 * {@link TokenPenalties} the softmax drawn is the penalised one the search chose from.
 */
public final class Illustrator {

    /** Tokens of the softmax shown per output step, by default. */
    public static final int DEFAULT_TOP_K = 10;
    /**
     * The longest sentence drawn, by default, in subwords: a page holds every attention weight, which grows with
     * the square of the length (a base model reading 60 subwords has half a million of them).
     */
    public static final int DEFAULT_MAX_SOURCE_TOKENS = 128;

    private final Translator translator;
    private final int maxSourceTokens;

    /** @param translator its first model is drawn */
    public Illustrator(Translator translator, int maxSourceTokens) {
        if (maxSourceTokens < 1) {
            throw new IllegalArgumentException("the longest sentence must be at least 1 subword, not " + maxSourceTokens);
        }
        this.translator = translator;
        this.maxSourceTokens = maxSourceTokens;
    }

    public Illustrator(Translator translator) {
        this(translator, DEFAULT_MAX_SOURCE_TOKENS);
    }

    /**
     * Translates {@code source} with {@code options} (greedy or beam search) and gathers the figures' data, with
     * the {@code topK} most probable tokens of each output step.
     *
     * @throws IllegalArgumentException for an empty sentence, one longer than the limit, or sampling options
     */
    public Illustration illustrate(String source, DecodingOptions options, int topK) {
        if (options.sampling()) {
            throw new IllegalArgumentException("illustrate draws greedy decoding or beam search, not sampling");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("the top-k must be at least 1, not " + topK);
        }
        Transformer model = translator.models().getFirst();
        TransformerConfig config = model.config();
        Tokenizer src = translator.vocabularies().source();
        Tokenizer tgt = translator.vocabularies().target();
        int[] srcIds = src.encode(source);
        if (srcIds.length == 0) {
            throw new IllegalArgumentException("the sentence is empty: give a sentence to translate");
        }
        if (srcIds.length > maxSourceTokens) {
            throw new IllegalArgumentException("the sentence has " + srcIds.length + " subwords, more than the limit of "
                    + maxSourceTokens);
        }

        BeamRecorder recorder = options.beamSize() > 1 ? new BeamRecorder(options.beamSize(), config.bosId()) : null;
        Search search = recorder == null ? options.search()
                : new BeamSearch(options.beamSize(), options.nbest(), options.penalty(), options.coverage(), recorder);
        List<ScoredSequence> outputs = new SequenceDecoder(translator.models())
                .decode(List.of(srcIds), List.of(new int[0]), new long[] {0}, options, search).getFirst();
        if (outputs.isEmpty()) {
            throw new IllegalStateException("the search finished no hypothesis");
        }
        int[] best = outputs.getFirst().tokens();
        List<Hypothesis> nbest = outputs.stream()
                .map(s -> new Hypothesis(tgt.decode(s.tokens()), s.tokens(), s.logProbability(), s.score())).toList();

        AttentionWeights attention = translator.attention(srcIds, best);
        TeacherForced pass = teacherForced(model, srcIds, best, topK, tgt, options.tokenPenalties());
        BeamTree tree = recorder == null ? null : tree(recorder, outputs, options, config.eosId(), tgt);
        return new Illustration(config, model.backend().name(), options, source, srcIds,
                Arrays.stream(srcIds).mapToObj(src::token).toList(), pass.inputs(), nbest.getFirst().text(), attention,
                pass.steps(), tree, nbest);
    }

    private record TeacherForced(Inputs inputs, List<OutputStep> steps) {
    }

    /** One forward pass over the source and {@code <bos>} + the output: the encoder's input and each step's softmax. */
    private static TeacherForced teacherForced(Transformer model, int[] srcIds, int[] output, int topK, Tokenizer tgt,
            TokenPenalties penalties) {
        TransformerConfig c = model.config();
        Backend backend = model.backend();
        int d = c.dModel();
        int s = srcIds.length;
        int[] decoderInput = new int[output.length + 1];
        decoderInput[0] = c.bosId();
        System.arraycopy(output, 0, decoderInput, 1, output.length);
        int[] predicted = Arrays.copyOf(output, output.length + 1);
        predicted[output.length] = c.eosId();
        try (TensorScope scope = TensorScope.open()) {
            ForwardContext inference = ForwardContext.inference();
            Encoder.Activations enc = model.encode(TokenBatch.of(srcIds), inference);
            // The embedding rows scaled as InputEmbedding scales them, on the backend (the same rounding).
            Tensor embedded = backend.scale(backend.gather(model.parameters().get("src_embed.weight").value(), srcIds),
                    (float) Math.sqrt(d));
            float[] positions = PositionalEncoding.values(s, d, c.positional() == TransformerConfig.Positional.SINUSOIDAL_CONCAT);
            Inputs inputs = new Inputs(rows(embedded.toFloatArray(), s, d), rows(positions, s, d),
                    rows(enc.embedding().output().toFloatArray(), s, d));

            Decoder.Activations dec = model.decode(TokenBatch.of(decoderInput), enc, inference);
            int vocab = c.tgtVocabSize();
            float[] lp; // (T, V)
            if (penalties.active()) {
                lp = model.logits(dec.output()).toFloatArray();
                penalties.logProbabilities(lp, predicted.length, vocab, output);
            } else {
                lp = model.logProbabilities(dec.output()).toFloatArray();
            }
            List<OutputStep> steps = new ArrayList<>(predicted.length);
            for (int t = 0; t < predicted.length; t++) {
                int[] top = topIndices(lp, t * vocab, vocab, Math.min(topK, vocab));
                List<TokenProbability> tops = new ArrayList<>(top.length);
                for (int id : top) {
                    tops.add(new TokenProbability(id, tgt.token(id), (float) Math.exp(lp[t * vocab + id])));
                }
                float p = (float) Math.exp(lp[t * vocab + predicted[t]]);
                steps.add(new OutputStep(t, new TokenProbability(predicted[t], tgt.token(predicted[t]), p), p, tops));
            }
            return new TeacherForced(inputs, steps);
        }
    }

    private static float[][] rows(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** The indices of the {@code k} largest values of {@code values[offset .. offset+length)}, largest first. */
    static int[] topIndices(float[] values, int offset, int length, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (filled == k && v <= values[offset + best[k - 1]]) {
                continue;
            }
            int j = filled < k ? filled++ : k - 1;
            while (j > 0 && values[offset + best[j - 1]] < v) { // insertion: ties keep the smaller index first
                best[j] = best[j - 1];
                j--;
            }
            best[j] = i;
        }
        return Arrays.copyOf(best, filled);
    }

    private static BeamTree tree(BeamRecorder recorder, List<ScoredSequence> outputs, DecodingOptions options, int eosId,
            Tokenizer tgt) {
        List<Node> nodes = new ArrayList<>(recorder.nodes().size());
        for (BeamRecorder.Raw r : recorder.nodes()) {
            NodeKind kind = r.id() == 0 ? NodeKind.ROOT : switch (r.outcome()) {
                case KEPT -> NodeKind.KEPT;
                case FINISHED -> NodeKind.FINISHED;
                case PRUNED -> NodeKind.PRUNED;
            };
            int nbestRank = 0;
            if (kind == NodeKind.FINISHED) {
                int[] tokens = recorder.tokens(r.id(), eosId);
                for (int i = 0; i < outputs.size() && nbestRank == 0; i++) {
                    if (Arrays.equals(tokens, outputs.get(i).tokens()) && r.score() == outputs.get(i).score()) {
                        nbestRank = i + 1;
                    }
                }
            }
            nodes.add(new Node(r.id(), r.parent(), r.step(), r.rank(), r.token(), tgt.token(r.token()), kind,
                    r.logProbability(), r.score(), nbestRank));
        }
        return new BeamTree(options.beamSize(), options.lengthPenalty(), nodes);
    }
}
