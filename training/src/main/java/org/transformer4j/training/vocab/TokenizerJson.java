package org.transformer4j.training.vocab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.training.data.DataException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Hugging Face {@code tokenizer.json} layout of a {@link Tokenizer}:
 * <ul>
 *   <li>{@code model}: BPE with {@code byte_fallback: true}, {@code unk_token: "<unk>"}, the vocabulary and the
 *       merges (as {@code "left right"} strings; tokens never contain a plain space);</li>
 *   <li>{@code added_tokens}: the four special tokens, {@code special: true};</li>
 *   <li>{@code normalizer}: Sequence of NFC, Replace of {@code \s+} by one space, Strip;</li>
 *   <li>{@code pre_tokenizer}: Metaspace ({@code ▁}, prepend always, split);</li>
 *   <li>{@code decoder}: Sequence of ByteFallback, Metaspace, Fuse.</li>
 * </ul>
 */
final class TokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerJson() {
    }

    static void write(Tokenizer t, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < Tokenizer.SPECIALS.size(); i++) {
            ObjectNode a = added.addObject();
            a.put("id", i);
            a.put("content", Tokenizer.SPECIALS.get(i));
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        norms.addObject().put("type", "NFC");
        ObjectNode replace = norms.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("Regex", "\\s+");
        replace.put("content", " ");
        ObjectNode strip = norms.addObject();
        strip.put("type", "Strip");
        strip.put("strip_left", true);
        strip.put("strip_right", true);
        metaspace(root.putObject("pre_tokenizer"));
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "ByteFallback");
        // Metaspace before Fuse: it drops every ▁ of the first token it sees, so it must see tokens one by one.
        metaspace(decoders.addObject());
        decoders.addObject().put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < t.size(); i++) {
            vocab.put(t.token(i), i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String[] m : t.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        try {
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void metaspace(ObjectNode n) {
        n.put("type", "Metaspace");
        n.put("replacement", String.valueOf(Normalizer.SPACE_MARK));
        n.put("prepend_scheme", "always");
        n.put("split", true);
    }

    static Tokenizer read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DataException(file + " not found");
        } catch (JacksonException e) {
            throw new DataException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode model = root == null ? null : root.get("model");
        if (model == null || !"BPE".equals(model.path("type").asText())) {
            throw new DataException(file + " is not a byte-pair (BPE) tokenizer.json");
        }
        if (!model.path("byte_fallback").asBoolean(false)) {
            throw new DataException(file + ": only BPE vocabularies with byte_fallback are supported");
        }
        if (!"Metaspace".equals(root.path("pre_tokenizer").path("type").asText())) {
            throw new DataException(file + ": only the Metaspace pre-tokenizer that t4j vocab writes is supported");
        }
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject()) {
            throw new DataException(file + " has no model.vocab");
        }
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new DataException(file + ": token ids must be 0.." + (tokens.length - 1) + " without gaps or repeats ("
                        + e.getKey() + " has " + e.getValue() + ")");
            }
            tokens[id] = e.getKey();
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2) {
                    throw new DataException(file + ": merge '" + m.asText() + "' is not two tokens");
                }
                merges.add(parts);
            } else if (m.isArray() && m.size() == 2) {
                merges.add(new String[] {m.get(0).asText(), m.get(1).asText()});
            } else {
                throw new DataException(file + ": merge " + m + " is not two tokens");
            }
        }
        try {
            return new Tokenizer(List.of(tokens), merges);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage());
        }
    }
}
