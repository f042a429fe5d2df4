package org.transformer4j.cli.pages;

import java.nio.file.Path;

import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.illustrate.Illustration;
import org.transformer4j.decoding.illustrate.Illustration.Node;
import org.transformer4j.decoding.illustrate.Illustration.OutputStep;
import org.transformer4j.decoding.illustrate.Illustration.TokenProbability;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@link Illustration} as JSON, the format of {@code t4j illustrate --format json} and the data inside the page
 * (docs/illustrate.md describes every field). Arrays of weights are nested as the records hold them:
 * {@code attention.encoder_self[layer][head][query][key]}.
 */
public final class IllustrationJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IllustrationJson() {
    }

    /**
     * @param decimals digits kept after the point in weights and vectors: -1 for every digit of the float (the JSON
     *                 format), fewer for a smaller page (4 decimals: weights to 0.0001, which no colour shows)
     */
    public static ObjectNode of(Illustration il, Path modelDir, int decimals) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "transformer4j-illustration");
        root.put("format_version", 1);
        root.put("model", modelDir.toString());
        root.put("backend", il.backend());
        root.set("config", config(il.config()));
        root.set("decoding", decoding(il.options()));
        root.put("source", il.source());
        root.set("source_ids", ints(il.sourceIds()));
        root.set("source_tokens", JSON.valueToTree(il.sourceTokens()));
        root.put("translation", il.translation());
        AttentionWeights w = il.attention();
        root.set("decoder_input_tokens", JSON.valueToTree(w.decoderInputTokens()));
        root.set("predicted_tokens", JSON.valueToTree(w.predictedTokens()));

        ObjectNode inputs = root.putObject("encoder_input");
        inputs.set("token_embeddings", matrix(il.inputs().tokenEmbeddings(), decimals));
        inputs.set("positions", matrix(il.inputs().positions(), decimals));
        inputs.set("sum", matrix(il.inputs().encoderInput(), decimals));

        ObjectNode attention = root.putObject("attention");
        attention.set("encoder_self", weights(w.encoderSelf(), decimals));
        attention.set("decoder_self", weights(w.decoderSelf(), decimals));
        attention.set("encoder_decoder", weights(w.encoderDecoder(), decimals));

        ArrayNode steps = root.putArray("steps");
        for (OutputStep s : il.steps()) {
            ObjectNode n = steps.addObject();
            n.put("position", s.position());
            n.set("chosen", token(s.chosen(), decimals));
            ArrayNode top = n.putArray("top");
            s.top().forEach(t -> top.add(token(t, decimals)));
        }

        ArrayNode nbest = root.putArray("nbest");
        for (Hypothesis h : il.nbest()) {
            ObjectNode n = nbest.addObject();
            n.put("text", h.text());
            n.set("tokens", ints(h.tokens()));
            n.put("log_probability", h.logProbability());
            n.put("score", h.score());
        }

        if (il.beam() == null) {
            root.putNull("beam");
        } else {
            ObjectNode beam = root.putObject("beam");
            beam.put("beam_size", il.beam().beamSize());
            beam.put("length_penalty", il.beam().lengthPenalty());
            ArrayNode nodes = beam.putArray("nodes");
            for (Node node : il.beam().nodes()) {
                ObjectNode n = nodes.addObject();
                n.put("id", node.id());
                n.put("parent", node.parent());
                n.put("step", node.step());
                n.put("rank", node.rank());
                n.put("token", node.token());
                n.put("text", node.text());
                n.put("kind", node.kind().name().toLowerCase(java.util.Locale.ROOT));
                n.put("log_probability", node.logProbability());
                if (Double.isNaN(node.score())) {
                    n.putNull("score");
                } else {
                    n.put("score", node.score());
                }
                n.put("nbest_rank", node.nbestRank());
            }
        }
        return root;
    }

    static ObjectNode config(TransformerConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("d_model", c.dModel());
        n.put("heads", c.heads());
        n.put("d_ff", c.dFF());
        n.put("encoder_layers", c.encoderLayers());
        n.put("decoder_layers", c.decoderLayers());
        n.put("src_vocab_size", c.srcVocabSize());
        n.put("tgt_vocab_size", c.tgtVocabSize());
        n.put("norm", c.norm().id());
        n.put("positional", c.positional().id());
        n.put("tie_embeddings", c.tieEmbeddings().id());
        return n;
    }

    static ObjectNode decoding(DecodingOptions o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("search", o.beamSize() == 1 ? "greedy" : "beam");
        n.put("beam", o.beamSize());
        n.put("nbest", o.nbest());
        n.put("length_penalty", o.lengthPenalty());
        n.put("max_len_a", o.maxLengthA());
        n.put("max_len_b", o.maxLengthB());
        n.put("cache", o.cache());
        n.put("no_repeat_ngram", o.noRepeatNgram());
        n.put("repetition_penalty", o.repetitionPenalty());
        n.put("coverage_penalty", o.coveragePenalty());
        return n;
    }

    private static ObjectNode token(TokenProbability t, int decimals) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", t.id());
        n.put("token", t.token());
        n.put("probability", decimals < 0 ? t.probability() : round(t.probability(), Math.max(decimals, 6)));
        return n;
    }

    private static ArrayNode ints(int[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static ArrayNode weights(float[][][][] w, int decimals) {
        ArrayNode layers = JSON.createArrayNode();
        for (float[][][] layer : w) {
            ArrayNode heads = layers.addArray();
            for (float[][] head : layer) {
                heads.add(matrix(head, decimals));
            }
        }
        return layers;
    }

    private static ArrayNode matrix(float[][] m, int decimals) {
        ArrayNode rows = JSON.createArrayNode();
        for (float[] row : m) {
            ArrayNode r = rows.addArray();
            for (float v : row) {
                if (decimals < 0) {
                    r.add(v);
                } else {
                    r.add(round(v, decimals));
                }
            }
        }
        return rows;
    }

    /** Rounded, and as a float so that Jackson writes its shortest form ("0.1234", not "0.12340000271797180"). */
    private static float round(float v, int decimals) {
        double scale = Math.pow(10, decimals);
        return (float) (Math.round(v * scale) / scale);
    }
}
