package org.transformer4j.model.vocab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.transformer4j.model.io.AtomicFiles;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Tokenizer} as a Hugging Face {@code tokenizer.json}, so that the tokenizers library (Python, Rust,
 * or DJL in Java) loads it and encodes to the same ids. Layout:
 * <ul>
 * <li>{@code added_tokens}: the four special tokens at ids 0..3, {@code special: true}, matched in the raw text
 * ({@code normalized: false}).</li>
 * <li>{@code normalizer}: Sequence [NFC, Replace regex {@code \s+} by " ", Strip both sides].</li>
 * <li>{@code pre_tokenizer}: Metaspace, replacement "▁", {@code prepend_scheme: "always"}, {@code split: true}.</li>
 * <li>{@code post_processor}: null ({@code <bos>}/{@code <eos>} are the caller's business).</li>
 * <li>{@code decoder}: Sequence [ByteFallback, Metaspace, Fuse]. Metaspace must come before Fuse: the library's
 * Metaspace decoder drops every "▁" of the first token it is given, which after Fuse would be the whole
 * text.</li>
 * <li>{@code model}: BPE with {@code byte_fallback: true}, {@code unk_token: "<unk>"}, {@code fuse_unk: true},
 * {@code vocab} in id order and {@code merges} as "left right" strings in the order learned (the form every
 * library version reads; tokens never contain a space, as normalisation turns spaces into "▁").</li>
 * </ul>
 * Reading accepts exactly this layout (merges also as two-element arrays, the newer library form) and refuses
 * anything else with a one-line message naming the file.
 */
final class TokenizerJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    /** The fields of {@code model} that are the data, not the fixed settings. */
    private static final List<String> MODEL_DATA = List.of("vocab", "merges");

    private TokenizerJson() {
    }

    static void write(Tokenizer tokenizer, Path file) {
        ObjectNode root = skeleton();
        ObjectNode model = (ObjectNode) root.get("model");
        ObjectNode vocab = model.putObject("vocab");
        List<String> tokens = tokenizer.tokens();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (Merge m : tokenizer.merges()) {
            merges.add(tokens.get(m.left()) + " " + tokens.get(m.right()));
        }
        try {
            AtomicFiles.writeString(file, PRETTY.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + file + ": " + e.getMessage(), e);
        }
    }

    static Tokenizer read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no tokenizer file " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong (without the file name) */
    static Tokenizer parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a tokenizer.json: the top level is not a JSON object");
        }
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw unsupported("there is no \"model\" object");
        }
        if (!"BPE".equals(model.path("type").asText(null))) {
            throw unsupported("model type is " + model.path("type") + ", not \"BPE\"");
        }
        ObjectNode expected = skeleton();
        for (Iterator<String> it = union(root, expected); it.hasNext();) {
            String field = it.next();
            if (!field.equals("model")) {
                same(field, root.get(field), expected.get(field));
            }
        }
        for (Iterator<String> it = union(model, expected.get("model")); it.hasNext();) {
            String field = it.next();
            if (!MODEL_DATA.contains(field)) {
                same("model." + field, model.get(field), expected.get("model").get(field));
            }
        }
        List<String> tokens = vocab(model.get("vocab"));
        return new Tokenizer(tokens, merges(model.get("merges"), tokens));
    }

    private static List<String> vocab(JsonNode vocab) {
        if (vocab == null || !vocab.isObject()) {
            throw new IllegalArgumentException("model.vocab is missing or not an object of token: id");
        }
        String[] tokens = new String[vocab.size()];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            JsonNode id = e.getValue();
            if (!id.canConvertToExactIntegral() || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= tokens.length) {
                throw new IllegalArgumentException("model.vocab gives \"" + e.getKey() + "\" the id " + id
                        + "; ids must be 0.." + (tokens.length - 1) + ", each once");
            }
            if (tokens[id.asInt()] != null) {
                throw new IllegalArgumentException("model.vocab gives the id " + id + " to both \"" + tokens[id.asInt()]
                        + "\" and \"" + e.getKey() + "\"");
            }
            tokens[id.asInt()] = e.getKey();
        }
        return List.of(tokens);
    }

    private static List<Merge> merges(JsonNode merges, List<String> tokens) {
        if (merges == null || !merges.isArray()) {
            throw new IllegalArgumentException("model.merges is missing or not an array");
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            ids.put(tokens.get(id), id);
        }
        List<Merge> out = new ArrayList<>(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            JsonNode m = merges.get(rank);
            String[] pair;
            if (m.isTextual() && m.asText().split(" ", -1).length == 2) {
                pair = m.asText().split(" ", -1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                pair = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                throw new IllegalArgumentException("model.merges[" + rank + "] is " + m
                        + "; a merge is \"left right\" or [\"left\", \"right\"]");
            }
            Integer left = ids.get(pair[0]);
            Integer right = ids.get(pair[1]);
            if (left == null || right == null) {
                throw new IllegalArgumentException("model.merges[" + rank + "] is " + m + ", but \""
                        + (left == null ? pair[0] : pair[1]) + "\" is not in the vocabulary");
            }
            out.add(new Merge(left, right));
        }
        return out;
    }

    private static void same(String field, JsonNode actual, JsonNode expected) {
        if (expected == null) {
            throw unsupported("it has a field \"" + field + "\" that transformer4j does not write");
        }
        if (actual == null) {
            throw unsupported("\"" + field + "\" is missing");
        }
        if (!actual.equals(expected)) {
            throw unsupported("\"" + field + "\" is " + shorten(actual.toString()) + ", not " + expected);
        }
    }

    private static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException(what + "; transformer4j reads only the tokenizer.json files it writes"
                + " (byte-fallback BPE with its own normalisation and special tokens)");
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static Iterator<String> union(JsonNode a, JsonNode b) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        return names.iterator();
    }

    /** Everything of the file but the vocabulary and the merges, in the order the library writes it. */
    private static ObjectNode skeleton() {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < Tokenizer.SPECIAL_TOKENS.size(); id++) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", Tokenizer.SPECIAL_TOKENS.get(id));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode steps = normalizer.putArray("normalizers");
        steps.addObject().put("type", "NFC");
        ObjectNode replace = steps.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("Regex", "\\s+");
        replace.put("content", " ");
        ObjectNode strip = steps.addObject();
        strip.put("type", "Strip");
        strip.put("strip_left", true);
        strip.put("strip_right", true);
        root.set("pre_tokenizer", metaspace());
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "ByteFallback");
        decoders.add(metaspace());
        decoders.addObject().put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", Tokenizer.SPECIAL_TOKENS.get(Tokenizer.UNK));
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        return root;
    }

    private static ObjectNode metaspace() {
        ObjectNode m = NODES.objectNode();
        m.put("type", "Metaspace");
        m.put("replacement", String.valueOf(PreTokenizer.METASPACE));
        m.put("prepend_scheme", "always");
        m.put("split", true);
        return m;
    }
}
