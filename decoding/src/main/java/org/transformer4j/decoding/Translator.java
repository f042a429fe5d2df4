package org.transformer4j.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.model.Decoder;
import org.transformer4j.model.DecoderLayer;
import org.transformer4j.model.Encoder;
import org.transformer4j.model.EncoderLayer;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.vocab.Tokenizer;
import org.transformer4j.model.vocab.Vocabularies;

/**
 * Translates text with a trained model (or an ensemble of models sharing their vocabularies): tokenises, has an
 * {@link IdTranslator} sort the lines by length and decode them in batches of {@code batchSize} sentences, then
 * detokenises and returns the results in input order. A line that cannot be translated (empty, longer than
 * {@code maxSourceTokens} subwords, or failing even alone) gets no hypothesis and a warning, never a shift of the
 * others.
 *
 * <p>Built from model directories by {@link Translators}; owns its models and closes them.
 */
public final class Translator implements AutoCloseable {

    /** Default sentences per batch. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default longest source, in subwords. */
    public static final int DEFAULT_MAX_SOURCE_TOKENS = 1024;

    private final IdTranslator ids;
    private final Vocabularies vocabularies;

    public Translator(List<Transformer> models, Vocabularies vocabularies, int batchSize, int maxSourceTokens) {
        for (Transformer m : models) {
            if (m.config().srcVocabSize() != vocabularies.source().size()
                    || m.config().tgtVocabSize() != vocabularies.target().size()) {
                throw new IllegalArgumentException("the model's vocabulary sizes (" + m.config().srcVocabSize() + ", "
                        + m.config().tgtVocabSize() + ") do not match its tokenizer (" + vocabularies.source().size()
                        + ", " + vocabularies.target().size() + ")");
            }
        }
        this.ids = new IdTranslator(models, batchSize, maxSourceTokens);
        this.vocabularies = vocabularies;
    }

    public Translator(List<Transformer> models, Vocabularies vocabularies) {
        this(models, vocabularies, DEFAULT_BATCH_SIZE, DEFAULT_MAX_SOURCE_TOKENS);
    }

    /** The best translation of each line with {@link DecodingOptions#defaults()}. */
    public List<String> translate(List<String> sources) {
        return translate(sources, DecodingOptions.defaults()).stream().map(Translation::best).toList();
    }

    public List<Translation> translate(List<String> sources, DecodingOptions options) {
        return translate(sources, null, options);
    }

    /**
     * @param prefixes per source line, the text every translation must start with (null for none; an empty line
     *                 for none on that line)
     */
    public List<Translation> translate(List<String> sources, List<String> prefixes, DecodingOptions options) {
        long[] lines = new long[sources.size()];
        Arrays.setAll(lines, i -> i);
        return translate(sources, prefixes, lines, options);
    }

    /**
     * As {@link #translate(List, List, DecodingOptions)} for a part of a larger input: {@code lines} holds each
     * line's 0-based index in the whole input, which seeds its samples and numbers its warnings (see
     * {@link IdTranslator#translate(List, List, long[], DecodingOptions)}).
     */
    public List<Translation> translate(List<String> sources, List<String> prefixes, long[] lines,
            DecodingOptions options) {
        if (prefixes != null && prefixes.size() != sources.size()) {
            throw new IllegalArgumentException(prefixes.size() + " prefixes for " + sources.size() + " source lines");
        }
        List<int[]> sourceIds = sources.stream().map(vocabularies.source()::encode).toList();
        List<int[]> prefixIds = prefixes == null ? sources.stream().map(s -> new int[0]).toList()
                : prefixes.stream().map(vocabularies.target()::encode).toList();
        List<IdTranslator.Result> results = ids.translate(sourceIds, prefixIds, lines, options);
        List<Translation> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            IdTranslator.Result r = results.get(i);
            out.add(new Translation(sources.get(i), r.hypotheses().stream().map(this::hypothesis).toList(), r.warning()));
        }
        return out;
    }

    private Hypothesis hypothesis(ScoredSequence s) {
        return new Hypothesis(vocabularies.target().decode(s.tokens()), s.tokens(), s.logProbability(), s.score());
    }

    /**
     * Every attention weight of the (first) model reading {@code source} and producing {@code target} with
     * teacher forcing: the weights it used when it produced that translation.
     */
    public AttentionWeights attention(String source, String target) {
        return attention(vocabularies.source().encode(source), vocabularies.target().encode(target));
    }

    /**
     * As {@link #attention(String, String)}, for token ids (no {@code <bos>}/{@code <eos>}): the weights of a
     * hypothesis exactly as the search produced it, whatever its text would tokenise to.
     */
    public AttentionWeights attention(int[] srcIds, int[] tgtIds) {
        Transformer model = ids.models().getFirst();
        Tokenizer src = vocabularies.source();
        Tokenizer tgt = vocabularies.target();
        if (srcIds.length == 0) {
            throw new IllegalArgumentException("the source is empty");
        }
        int[] input = new int[tgtIds.length + 1];
        input[0] = model.config().bosId();
        System.arraycopy(tgtIds, 0, input, 1, tgtIds.length);
        try (TensorScope scope = TensorScope.open()) {
            Encoder.Activations enc = model.encode(TokenBatch.of(srcIds), ForwardContext.inference());
            Decoder.Activations dec = model.decode(TokenBatch.of(input), enc, ForwardContext.inference());
            List<String> predicted = new ArrayList<>(tokens(tgt, tgtIds));
            predicted.add(tgt.token(model.config().eosId()));
            return new AttentionWeights(tokens(src, srcIds), tokens(tgt, input), predicted,
                    enc.layers().stream().map(l -> weights(l.attention().probs())).toArray(float[][][][]::new),
                    dec.layers().stream().map(l -> weights(l.selfAttention().probs())).toArray(float[][][][]::new),
                    dec.layers().stream().map(l -> weights(l.crossAttention().probs())).toArray(float[][][][]::new));
        }
    }

    private static List<String> tokens(Tokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toList();
    }

    /** A {@code (1, H, Tq, Tk)} tensor as {@code [H][Tq][Tk]}. */
    private static float[][][] weights(Tensor probs) {
        int heads = probs.shape().dim(1);
        int rows = probs.shape().dim(2);
        int cols = probs.shape().dim(3);
        float[] flat = probs.toFloatArray();
        float[][][] out = new float[heads][rows][cols];
        for (int h = 0; h < heads; h++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, (h * rows + r) * cols, out[h][r], 0, cols);
            }
        }
        return out;
    }

    public Vocabularies vocabularies() {
        return vocabularies;
    }

    public List<Transformer> models() {
        return ids.models();
    }

    @Override
    public void close() {
        ids.close();
    }
}
