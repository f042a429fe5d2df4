package org.transformer4j.model.vocab;

import org.transformer4j.training.data.BundledCorpus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class TokenizerJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Tokenizer TOKENIZER = new BpeTrainer(600, 1).train(BundledCorpus.dev().source());
    private static final List<String> SAMPLES = List.of("Y dijo el rey a Ester:", "Привет 🙂 naïve", "la <eos> luz");

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrites() throws IOException {
        Path file = dir.resolve(Tokenizer.FILE_NAME);
        TOKENIZER.write(file);
        Tokenizer read = Tokenizer.read(file);
        assertEquals(TOKENIZER.size(), read.size());
        assertEquals(TOKENIZER.tokens(), read.tokens());
        assertEquals(TOKENIZER.merges(), read.merges());
        for (String text : SAMPLES) {
            assertArrayEquals(TOKENIZER.encode(text), read.encode(text), text);
        }
        read.write(dir.resolve("again.json"));
        assertEquals(Files.readString(file), Files.readString(dir.resolve("again.json")));
        assertEquals(List.of("again.json", Tokenizer.FILE_NAME), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void alsoReadsMergesWrittenAsPairsOfStrings() throws IOException {
        Tokenizer read = Tokenizer.read(edited(root -> {
            ArrayNode merges = (ArrayNode) root.path("model").path("merges");
            for (int i = 0; i < merges.size(); i++) {
                String[] pair = merges.get(i).asText().split(" ");
                merges.set(i, JSON.createArrayNode().add(pair[0]).add(pair[1]));
            }
        }));
        assertEquals(TOKENIZER.merges(), read.merges());
    }

    @Test
    void refusesAFileThatIsNotJson() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"model\": {");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON"), e.getMessage());
    }

    @Test
    void refusesAModelThatIsNotBpe() throws IOException {
        Path file = edited(root -> ((ObjectNode) root.get("model")).put("type", "WordPiece"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(file));
        assertEquals(file + ": model type is \"WordPiece\", not \"BPE\"; transformer4j reads only the tokenizer.json"
                + " files it writes (byte-fallback BPE with its own normalisation and special tokens)", e.getMessage());
    }

    @Test
    void refusesSpecialTokensAtOtherIds() throws IOException {
        Path file = edited(root -> {
            ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
            vocab.put("<pad>", 1);
            vocab.put("<bos>", 0);
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(file));
        assertEquals(file + ": id 0 must be the token \"<pad>\" but is \"<bos>\"", e.getMessage());
    }

    @Test
    void refusesOtherSettings() throws IOException {
        Path decoder = edited(root -> ((ArrayNode) root.path("decoder").path("decoders")).remove(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(decoder)).getMessage()
                .startsWith(decoder + ": \"decoder\" is "));
        Path noFallback = edited(root -> ((ObjectNode) root.get("model")).put("byte_fallback", false));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(noFallback)).getMessage()
                .startsWith(noFallback + ": \"model.byte_fallback\" is false, not true"));
        Path extra = edited(root -> root.put("extra", 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(extra)).getMessage()
                .startsWith(extra + ": it has a field \"extra\""));
    }

    @Test
    void refusesMergesOfUnknownTokens() throws IOException {
        Path file = edited(root -> ((ArrayNode) root.path("model").path("merges")).add("q\u00A7 z"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.read(file));
        assertTrue(e.getMessage().contains("\"q\u00A7\" is not in the vocabulary"), e.getMessage());
    }

    @Test
    void saysWhichFileIsMissing() {
        Path missing = dir.resolve("nope.json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Tokenizer.read(missing));
        assertEquals("no tokenizer file " + missing, e.getMessage());
    }

    /** The tokenizer written, then changed as JSON. */
    private Path edited(Consumer<ObjectNode> change) throws IOException {
        Path file = dir.resolve("edited.json");
        TOKENIZER.write(file);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(root);
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }
}
