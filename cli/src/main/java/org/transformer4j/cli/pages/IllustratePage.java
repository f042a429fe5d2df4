package org.transformer4j.cli.pages;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.transformer4j.decoding.illustrate.Illustration;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;

/** The page of {@code t4j illustrate}: the five figure groups of "The Illustrated Transformer" for one sentence. */
public final class IllustratePage {

    /** Decimals of the weights and vectors inside the page: 0.0001 is finer than any colour shows. */
    static final int DECIMALS = 4;

    private IllustratePage() {
    }

    public static String render(Illustration il, Path modelDir, long parameters) {
        TransformerConfig c = il.config();
        DecodingOptions o = il.options();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", modelDir.toString());
        facts.put("configuration", String.format(Locale.ROOT,
                "d_model %d, %d heads, d_ff %d, %d+%d layers, %s-norm, %s positions, tied embeddings: %s, vocabularies"
                        + " %,d / %,d, %,d parameters",
                c.dModel(), c.heads(), c.dFF(), c.encoderLayers(), c.decoderLayers(), c.norm().id(), c.positional().id(),
                c.tieEmbeddings().id(), c.srcVocabSize(), c.tgtVocabSize(), parameters));
        facts.put("backend", il.backend());
        facts.put("decoding", o.beamSize() == 1
                ? String.format(Locale.ROOT, "greedy, at most %s × source + %d tokens", num(o.maxLengthA()), o.maxLengthB())
                : String.format(Locale.ROOT, "beam search, beam %d, n-best %d, length penalty %s, at most %s × source + %d"
                        + " tokens", o.beamSize(), o.nbest(), num(o.lengthPenalty()), num(o.maxLengthA()), o.maxLengthB())
                        + againstLoops(o));
        facts.put("source", il.sourceTokens().size() + " subwords");
        facts.put("translation", (il.steps().size() - 1) + " subwords + <eos>");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "t4j illustrate: " + il.source());
        model.put("source", il.source());
        model.put("translation", il.translation());
        model.put("facts", facts);
        model.put("beam", il.beam() != null);
        return Pages.render("illustrate", model, IllustrationJson.of(il, modelDir, DECIMALS));
    }

    /** The options against loops that are on, as ", no repeated 3-gram, ..." (nothing when all are off). */
    static String againstLoops(DecodingOptions o) {
        StringBuilder b = new StringBuilder();
        if (o.noRepeatNgram() > 0) {
            b.append(", no repeated ").append(o.noRepeatNgram()).append("-gram");
        }
        if (o.tokenPenalties().repetition().active()) {
            b.append(", repetition penalty ").append(num(o.repetitionPenalty()));
        }
        if (o.coverage().active()) {
            b.append(", coverage penalty ").append(num(o.coveragePenalty()));
        }
        return b.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
