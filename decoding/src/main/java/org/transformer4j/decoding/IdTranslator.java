package org.transformer4j.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.NoRepeatNgram;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.decoding.search.SequenceDecoder;
import org.transformer4j.model.Transformer;

/**
 * Translates token ids with a model (or an ensemble), no vocabulary needed: sorts the sentences by length
 * (longest first) and decodes them in batches of {@code batchSize}, then returns the results in input order. A
 * sentence that cannot be translated (empty, longer than {@code maxSourceTokens}, with a forced prefix that repeats
 * an n-gram {@code --no-repeat-ngram} forbids, or failing even alone) gets no hypothesis, with a warning unless it
 * was empty, never a shift of the others. {@link Translator} puts text around
 * it; {@code t4j translate --ids} uses it as it is.
 *
 * <p>Owns its models and closes them.
 */
public final class IdTranslator implements AutoCloseable {

    /** The outputs of one source, best first, or none with a warning (null when all went well). */
    public record Result(List<ScoredSequence> hypotheses, String warning) {

        public Result {
            hypotheses = List.copyOf(hypotheses);
        }
    }

    private final List<Transformer> models;
    private final SequenceDecoder decoder;
    private final int batchSize;
    private final int maxSourceTokens;

    public IdTranslator(List<Transformer> models, int batchSize, int maxSourceTokens) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, not " + batchSize);
        }
        if (maxSourceTokens < 1) {
            throw new IllegalArgumentException("the longest source must be at least 1 token, not " + maxSourceTokens);
        }
        this.models = List.copyOf(models);
        this.decoder = new SequenceDecoder(models);
        this.batchSize = batchSize;
        this.maxSourceTokens = maxSourceTokens;
    }

    /**
     * @param prefixes per source, the ids every output must start with (empty for none)
     */
    public List<Result> translate(List<int[]> sources, List<int[]> prefixes, DecodingOptions options) {
        long[] lines = new long[sources.size()];
        Arrays.setAll(lines, i -> i);
        return translate(sources, prefixes, lines, options);
    }

    /**
     * As {@link #translate(List, List, DecodingOptions)} for a part of a larger input: {@code lines} holds each
     * source's 0-based index in the whole input, which seeds its samples and numbers its warnings, so that the
     * results do not depend on how the input was cut into parts (the Spark jobs translate one partition at a time).
     */
    public List<Result> translate(List<int[]> sources, List<int[]> prefixes, long[] lines, DecodingOptions options) {
        if (prefixes.size() != sources.size()) {
            throw new IllegalArgumentException(prefixes.size() + " prefixes for " + sources.size() + " sources");
        }
        if (lines.length != sources.size()) {
            throw new IllegalArgumentException(lines.length + " line numbers for " + sources.size() + " sources");
        }
        Result[] out = new Result[sources.size()];
        NoRepeatNgram repeat = options.tokenPenalties().noRepeatNgram();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int length = sources.get(i).length;
            if (length == 0) {
                out[i] = new Result(List.of(), null); // an empty line stays empty, silently
            } else if (length > maxSourceTokens) {
                out[i] = new Result(List.of(), "line " + (lines[i] + 1) + " has " + length
                        + " source tokens, more than the limit of " + maxSourceTokens + "; left untranslated");
            } else if (repeat.firstRepeat(prefixes.get(i)) >= 0) {
                // Found here, not by the decoder, so that the line's batch need not be decoded again line by line.
                out[i] = new Result(List.of(), "line " + (lines[i] + 1) + ": the forced prefix repeats a "
                        + repeat.size() + "-gram, which --no-repeat-ngram " + repeat.size() + " forbids; left untranslated");
            } else {
                order.add(i);
            }
        }
        // Longest first: similar lengths share a batch (less padding), and a memory failure shows up early.
        order.sort(Comparator.comparingInt((Integer i) -> sources.get(i).length).reversed().thenComparing(i -> i));
        for (int from = 0; from < order.size(); from += batchSize) {
            decodeBatch(order.subList(from, Math.min(order.size(), from + batchSize)), sources, prefixes, lines, options,
                    out);
        }
        return Arrays.asList(out);
    }

    private void decodeBatch(List<Integer> batch, List<int[]> sources, List<int[]> prefixes, long[] lines,
            DecodingOptions options, Result[] out) {
        try {
            List<List<ScoredSequence>> results = decoder.decode(batch.stream().map(sources::get).toList(),
                    batch.stream().map(prefixes::get).toList(), batch.stream().mapToLong(i -> lines[i]).toArray(), options);
            for (int j = 0; j < batch.size(); j++) {
                out[batch.get(j)] = new Result(results.get(j), null);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            if (batch.size() > 1) {
                for (int i : batch) { // one at a time: only the line at fault is lost
                    decodeBatch(List.of(i), sources, prefixes, lines, options, out);
                }
            } else {
                int i = batch.getFirst();
                out[i] = new Result(List.of(), "line " + (lines[i] + 1) + " could not be translated (" + e.getMessage()
                        + "); left empty");
            }
        }
    }

    public List<Transformer> models() {
        return models;
    }

    @Override
    public void close() {
        models.forEach(Transformer::close);
    }
}
