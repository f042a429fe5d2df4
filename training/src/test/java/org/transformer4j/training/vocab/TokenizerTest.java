package org.transformer4j.training.vocab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.training.data.DataException;

class TokenizerTest {

    @TempDir
    Path dir;

    private static final List<String> CORPUS = List.of("la luz y la tierra", "la tierra estaba", "y dijo Dios: sea la luz",
            "the light and the earth", "and God said");

    @Test
    void specialAndByteTokensHaveFixedIds() {
        Tokenizer t = new BpeTrainer(300, 1).train(CORPUS);
        assertEquals("<pad>", t.token(Tokenizer.PAD));
        assertEquals("<bos>", t.token(Tokenizer.BOS));
        assertEquals("<eos>", t.token(Tokenizer.EOS));
        assertEquals("<unk>", t.token(Tokenizer.UNK));
        assertEquals("<0x00>", t.token(4));
        assertEquals("<0x41>", t.token(4 + 65));
        assertEquals("<0xFF>", t.token(259));
        assertEquals(300, t.size());
    }

    @Test
    void learnedMergesMakeWholeWordsOfFrequentOnes() {
        Tokenizer t = new BpeTrainer(330, 1).train(CORPUS);
        assertEquals(List.of("▁la", "▁luz"), t.tokenize("la luz"));
        assertEquals(List.of("▁la", "▁tierra"), t.tokenize("  la\ttierra "));
    }

    @Test
    void unseenCharactersAreSpelledInBytesAndComeBack() {
        Tokenizer t = new BpeTrainer(300, 1).train(CORPUS);
        String text = "la luz 🙂 Привет";
        int[] ids = t.encode(text);
        assertTrue(t.tokenize(text).contains("<0xF0>"), t.tokenize(text).toString()); // first byte of U+1F642
        assertEquals(text, t.decode(ids));
        for (int id : ids) {
            assertTrue(id != Tokenizer.UNK, "no <unk>: byte fallback spells every character");
        }
    }

    @Test
    void decodingRestoresTheNormalisedText() {
        Tokenizer t = new BpeTrainer(320, 1).train(CORPUS);
        assertEquals("y dijo Dios: sea la luz", t.decode(t.encode("  y   dijo\nDios:\tsea la luz  ")));
        assertEquals("", t.decode(t.encode("   ")));
        int[] withSpecials = {Tokenizer.BOS, t.id("▁la"), Tokenizer.EOS, Tokenizer.PAD};
        assertEquals("la", t.decode(withSpecials));
        // NFC: a decomposed é (e + U+0301) comes back composed.
        assertEquals("caf\u00e9", t.decode(t.encode("cafe\u0301")));
    }

    @Test
    void theLowestRankedPairMergesFirstAndTheLeftmostOnTies() {
        // Hand-made merges: rank 0 "a a", then "aa a". On "aaa" the leftmost pair merges first: [aa, a] → [aaa].
        List<String> tokens = new java.util.ArrayList<>(Tokenizer.SPECIALS);
        for (int b = 0; b < 256; b++) {
            tokens.add(Tokenizer.byteToken(b));
        }
        tokens.addAll(List.of("▁", "a", "b", "aa", "aaa", "ab"));
        Tokenizer t = new Tokenizer(tokens, List.of(new String[] {"a", "a"}, new String[] {"aa", "a"}, new String[] {"a", "b"}));
        assertEquals(List.of("▁", "aaa"), t.tokenize("aaa"));
        // "aab": (a,a) has rank 0 and (a,b) rank 2, so a+a merges first, and aa+b has no merge.
        assertEquals(List.of("▁", "aa", "b"), t.tokenize("aab"));
        // "aaaa": leftmost a+a, then the next a+a, giving [aa, aa]; "aa a" no longer applies.
        assertEquals(List.of("▁", "aa", "aa"), t.tokenize("aaaa"));
    }

    @Test
    void writesAndReadsTokenizerJson() throws IOException {
        Tokenizer t = new BpeTrainer(330, 1).train(CORPUS);
        Path file = dir.resolve("tokenizer.json");
        t.write(file);
        Tokenizer back = Tokenizer.read(file);
        assertEquals(t.size(), back.size());
        for (String s : CORPUS) {
            assertArrayEquals(t.encode(s), back.encode(s));
        }
        String json = Files.readString(file);
        assertTrue(json.contains("\"byte_fallback\" : true") && json.contains("\"type\" : \"Metaspace\""), json);
    }

    @Test
    void learningIsDeterministic() {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        new BpeTrainer(340, 1).train(CORPUS).write(a);
        new BpeTrainer(340, 1).train(CORPUS).write(b);
        assertEquals(read(a), read(b));
    }

    @Test
    void malformedFilesAreRefusedWithTheirName() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"WordPiece\"}}");
        DataException e = assertThrows(DataException.class, () -> Tokenizer.read(file));
        assertTrue(e.getMessage().contains("not a byte-pair (BPE) tokenizer.json"), e.getMessage());
        Files.writeString(file, "{oops");
        e = assertThrows(DataException.class, () -> Tokenizer.read(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(DataException.class, () -> Tokenizer.read(dir.resolve("absent.json")));
        assertTrue(e.getMessage().endsWith("absent.json not found"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(260, 1));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
