package org.transformer4j.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.decoding.search.SequenceDecoder;
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
 * Translates text with a trained model (or an ensemble of models sharing their vocabularies): tokenises, sorts
 * the lines by length and decodes them in batches of {@code batchSize} sentences, then detokenises and returns
 * the results in input order. A line that cannot be translated (empty, longer than {@code maxSourceTokens}
 * subwords, or failing even alone) gets no hypothesis and a warning, never a shift of the others.
 *
 * <p>Built from model directories by {@link Translators}; owns its models and closes them.
 */
public final class Translator implements AutoCloseable {

    /** Default sentences per batch. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default longest source, in subwords. */
    public static final int DEFAULT_MAX_SOURCE_TOKENS = 1024;

    private final List<Transformer> models;
    private final Vocabularies vocabularies;
    private final SequenceDecoder decoder;
    private final int batchSize;
    private final int maxSourceTokens;

    public Translator(List<Transformer> models, Vocabularies vocabularies, int batchSize, int maxSourceTokens) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, not " + batchSize);
        }
        if (maxSourceTokens < 1) {
            throw new IllegalArgumentException("the longest source must be at least 1 token, not " + maxSourceTokens);
        }
        for (Transformer m : models) {
            if (m.config().srcVocabSize() != vocabularies.source().size()
                    || m.config().tgtVocabSize() != vocabularies.target().size()) {
                throw new IllegalArgumentException("the model's vocabulary sizes (" + m.config().srcVocabSize() + ", "
                        + m.config().tgtVocabSize() + ") do not match its tokenizer (" + vocabularies.source().size()
                        + ", " + vocabularies.target().size() + ")");
            }
        }
        this.models = List.copyOf(models);
        this.vocabularies = vocabularies;
        this.decoder = new SequenceDecoder(models);
        this.batchSize = batchSize;
        this.maxSourceTokens = maxSourceTokens;
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
        if (prefixes != null && prefixes.size() != sources.size()) {
            throw new IllegalArgumentException(prefixes.size() + " prefixes for " + sources.size() + " source lines");
        }
        Translation[] out = new Translation[sources.size()];
        List<Integer> order = new ArrayList<>();
        int[][] ids = new int[sources.size()][];
        int[][] prefixIds = new int[sources.size()][];
        for (int i = 0; i < sources.size(); i++) {
            ids[i] = vocabularies.source().encode(sources.get(i));
            prefixIds[i] = prefixes == null ? new int[0] : vocabularies.target().encode(prefixes.get(i));
            if (ids[i].length == 0) {
                out[i] = new Translation(sources.get(i), List.of(), null); // an empty line stays empty, silently
            } else if (ids[i].length > maxSourceTokens) {
                out[i] = new Translation(sources.get(i), List.of(), "line " + (i + 1) + " has " + ids[i].length
                        + " source tokens, more than the limit of " + maxSourceTokens + "; left untranslated");
            } else {
                order.add(i);
            }
        }
        // Longest first: similar lengths share a batch (less padding), and a memory failure shows up early.
        order.sort(Comparator.comparingInt((Integer i) -> ids[i].length).reversed().thenComparing(i -> i));
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            decodeBatch(batch, sources, ids, prefixIds, options, out);
        }
        return Arrays.asList(out);
    }

    private void decodeBatch(List<Integer> batch, List<String> sources, int[][] ids, int[][] prefixIds,
            DecodingOptions options, Translation[] out) {
        try {
            List<List<ScoredSequence>> results = decoder.decode(batch.stream().map(i -> ids[i]).toList(),
                    batch.stream().map(i -> prefixIds[i]).toList(), batch.stream().mapToLong(i -> i).toArray(), options);
            for (int j = 0; j < batch.size(); j++) {
                int i = batch.get(j);
                out[i] = new Translation(sources.get(i), results.get(j).stream().map(this::hypothesis).toList(), null);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            if (batch.size() > 1) {
                for (int i : batch) { // one at a time: only the line at fault is lost
                    decodeBatch(List.of(i), sources, ids, prefixIds, options, out);
                }
            } else {
                int i = batch.getFirst();
                out[i] = new Translation(sources.get(i), List.of(), "line " + (i + 1) + " could not be translated ("
                        + e.getMessage() + "); left empty");
            }
        }
    }

    private Hypothesis hypothesis(ScoredSequence s) {
        return new Hypothesis(vocabularies.target().decode(s.tokens()), s.tokens(), s.logProbability(), s.score());
    }

    /**
     * Every attention weight of the (first) model reading {@code source} and producing {@code target} with
     * teacher forcing: the weights it used when it produced that translation.
     */
    public AttentionWeights attention(String source, String target) {
        Transformer model = models.getFirst();
        Tokenizer src = vocabularies.source();
        Tokenizer tgt = vocabularies.target();
        int[] srcIds = src.encode(source);
        if (srcIds.length == 0) {
            throw new IllegalArgumentException("the source is empty");
        }
        int[] tgtIds = tgt.encode(target);
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
        return models;
    }

    @Override
    public void close() {
        models.forEach(Transformer::close);
    }
}
