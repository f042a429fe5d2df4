package org.transformer4j.cli.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.IdTranslator;
import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.training.data.DataException;

/**
 * {@code t4j translate --ids}: lines of token ids separated by spaces in, the output ids out (no {@code <bos>} or
 * {@code <eos>}), through an {@link IdTranslator}; no vocabulary is involved, which makes the output comparable
 * with another implementation of the model (the PyTorch peer).
 */
final class TokenIdLines {

    private TokenIdLines() {
    }

    /**
     * Translates {@code lines} (and {@code prefixes}, null for none); the text of each hypothesis is its ids.
     *
     * @param where       names the input in messages ("in.ids", "standard input")
     * @param prefixWhere names the prefix file in messages
     * @param firstLine   the 1-based number of {@code lines[0]} in the input
     */
    static List<Translation> translate(IdTranslator translator, List<String> lines, List<String> prefixes,
            DecodingOptions options, String where, String prefixWhere, int firstLine) {
        TransformerConfig c = translator.models().getFirst().config();
        List<int[]> sources = new ArrayList<>(lines.size());
        List<int[]> prefixIds = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            sources.add(parse(lines.get(i), c.srcVocabSize(), "source", where, firstLine + i));
            prefixIds.add(prefixes == null ? new int[0]
                    : parse(prefixes.get(i), c.tgtVocabSize(), "target", prefixWhere, firstLine + i));
        }
        List<IdTranslator.Result> results = translator.translate(sources, prefixIds, options);
        List<Translation> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            out.add(new Translation(lines.get(i), results.get(i).hypotheses().stream()
                    .map(h -> new Hypothesis(format(h.tokens()), h.tokens(), h.logProbability(), h.score())).toList(),
                    results.get(i).warning()));
        }
        return out;
    }

    /** Token ids separated by white space; every id must be in the vocabulary. */
    static int[] parse(String line, int vocabulary, String side, String where, int lineNumber) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] fields = trimmed.split("\\s+");
        int[] ids = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            try {
                ids[i] = Integer.parseInt(fields[i]);
            } catch (NumberFormatException e) {
                throw new DataException(where + " line " + lineNumber + ": '" + fields[i]
                        + "' is not a token id (--ids reads token ids separated by spaces)");
            }
            if (ids[i] < 0 || ids[i] >= vocabulary) {
                throw new DataException(where + " line " + lineNumber + ": token id " + ids[i] + " is outside the "
                        + side + " vocabulary of " + vocabulary);
            }
        }
        return ids;
    }

    static String format(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
