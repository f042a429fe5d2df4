package org.transformer4j.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.Positional;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code config.json} of a model directory, format version 1: the {@link TransformerConfig} in snake_case,
 * plus {@code format_version} and {@code written_by} (project, version and backend). A file of a newer format
 * version is refused, never misread.
 */
public final class ConfigJson {

    /** The format this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigJson() {
    }

    /** Who wrote a model directory. */
    public record WrittenBy(String project, String version, String backend) {
    }

    /** A parsed config.json. */
    public record Parsed(TransformerConfig config, WrittenBy writtenBy) {
    }

    public static String write(TransformerConfig c, String backend) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", FORMAT_VERSION);
        n.put("d_model", c.dModel());
        n.put("heads", c.heads());
        n.put("d_ff", c.dFF());
        n.put("encoder_layers", c.encoderLayers());
        n.put("decoder_layers", c.decoderLayers());
        n.put("src_vocab_size", c.srcVocabSize());
        n.put("tgt_vocab_size", c.tgtVocabSize());
        n.put("dropout", c.dropout());
        n.put("norm", c.norm().id());
        n.put("positional", c.positional().id());
        n.put("tie_embeddings", c.tieEmbeddings().id());
        n.put("layer_norm_eps", c.layerNormEps());
        n.put("pad_id", c.padId());
        n.put("bos_id", c.bosId());
        n.put("eos_id", c.eosId());
        n.put("unk_id", c.unkId());
        ObjectNode by = n.putObject("written_by");
        by.put("project", "transformer4j");
        by.put("version", projectVersion());
        by.put("backend", backend);
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses config.json text; {@code where} names the file in messages. */
    public static Parsed read(String text, String where) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new CheckpointException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new CheckpointException(where + " must hold a JSON object");
        }
        JsonNode version = n.get("format_version");
        if (version == null || !version.canConvertToInt()) {
            throw new CheckpointException(where + " has no format_version: it was not written by transformer4j");
        }
        if (version.asInt() > FORMAT_VERSION) {
            throw new CheckpointException(where + " has format_version " + version.asInt()
                    + ", newer than this transformer4j reads (" + FORMAT_VERSION + "): upgrade transformer4j to load it");
        }
        List<String> missing = new ArrayList<>();
        for (String key : new String[] {"d_model", "heads", "d_ff", "encoder_layers", "decoder_layers", "src_vocab_size",
                "tgt_vocab_size", "dropout", "norm", "positional", "tie_embeddings", "layer_norm_eps", "pad_id", "bos_id",
                "eos_id", "unk_id"}) {
            if (n.get(key) == null || n.get(key).isNull()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(where + " lacks " + String.join(", ", missing));
        }
        try {
            TransformerConfig config = new TransformerConfig(
                    integer(n, "d_model"), integer(n, "heads"), integer(n, "d_ff"),
                    integer(n, "encoder_layers"), integer(n, "decoder_layers"),
                    integer(n, "src_vocab_size"), integer(n, "tgt_vocab_size"),
                    (float) n.get("dropout").asDouble(),
                    Norm.of(n.get("norm").asText()), Positional.of(n.get("positional").asText()),
                    TieEmbeddings.of(n.get("tie_embeddings").asText()),
                    (float) n.get("layer_norm_eps").asDouble(),
                    integer(n, "pad_id"), integer(n, "bos_id"), integer(n, "eos_id"), integer(n, "unk_id"));
            JsonNode by = n.path("written_by");
            return new Parsed(config, new WrittenBy(by.path("project").asText("unknown"),
                    by.path("version").asText("unknown"), by.path("backend").asText("unknown")));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + e.getMessage());
        }
    }

    private static int integer(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    /** The version of transformer4j this code belongs to. */
    public static String projectVersion() {
        try (InputStream in = ConfigJson.class.getResourceAsStream("/org/transformer4j/model/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
