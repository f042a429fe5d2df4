package org.transformer4j.model.vocab;

import org.transformer4j.training.data.BundledCorpus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    /** Learned from a little Spanish: knows Latin letters and "ñ", but no Cyrillic, emoji or CJK. */
    private static final Tokenizer SPANISH = new BpeTrainer(400, 1).train(List.of(
            "En el principio creó Dios los cielos y la tierra.",
            "Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la haz del abismo.",
            "Y dijo Dios: Sea la luz: y fué la luz. ¿Qué año? El niño."));

    private static List<String> pieces(Tokenizer t, String text) {
        return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
    }

    @Test
    void specialAndByteTokensHaveFixedIds() {
        assertEquals(List.of(0, 1, 2, 3), List.of(Tokenizer.PAD, Tokenizer.BOS, Tokenizer.EOS, Tokenizer.UNK));
        assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>"), IntStream.range(0, 4).mapToObj(SPANISH::token).toList());
        assertEquals(2, SPANISH.id("<eos>"));
        assertEquals("<0x00>", SPANISH.token(4));
        assertEquals("<0x0A>", SPANISH.token(4 + 0x0A));
        assertEquals("<0xFF>", SPANISH.token(259));
        assertEquals(4 + 0xC3, SPANISH.id("<0xC3>"));
        assertEquals(-1, SPANISH.id("no such token"));
    }

    @Test
    void encodingAddsNoBeginOrEndOfSentence() {
        int[] ids = SPANISH.encode("la tierra");
        assertTrue(ids.length > 0 && Arrays.stream(ids).allMatch(id -> id >= 4), Arrays.toString(ids));
        assertEquals(List.of("▁la", "▁tierra"), pieces(SPANISH, "la tierra"));
        assertArrayEquals(new int[0], SPANISH.encode(" \t\n "));
    }

    @Test
    void unseenCharactersBecomeTheirUtf8Bytes() {
        // "Ж" is D0 96 and "🙂" is F0 9F 99 82 in UTF-8; "▁" and "ñ" were seen
        assertEquals(List.of("▁", "<0xD0>", "<0x96>", "ñ"), pieces(SPANISH, "Жñ"));
        assertEquals(List.of("▁", "<0xF0>", "<0x9F>", "<0x99>", "<0x82>"), pieces(SPANISH, "🙂"));
        assertTrue(Arrays.stream(SPANISH.encode("Привет 🙂 naïve 漢字")).noneMatch(id -> id == Tokenizer.UNK));
        for (String text : List.of("Привет 🙂 naïve", "日本語のテキスト、中文", "la 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 tierra")) {
            assertEquals(text, SPANISH.decode(SPANISH.encode(text)));
        }
    }

    @Test
    void decodingRestoresTheNormalisedText() {
        for (String text : List.of("En el principio", "  Y   dijo\tDios:\n¿Sea la luz?  ", "e\u0301 cafe\u0301", "")) {
            assertEquals(Tokenizer.normalize(text), SPANISH.decode(SPANISH.encode(text)), text);
        }
    }

    @Test
    void decodingSkipsSpecialTokens() {
        int[] hola = SPANISH.encode("la luz");
        int[] framed = new int[hola.length + 4];
        framed[0] = Tokenizer.BOS;
        System.arraycopy(hola, 0, framed, 1, hola.length);
        framed[hola.length + 1] = Tokenizer.EOS;
        framed[hola.length + 2] = Tokenizer.PAD;
        framed[hola.length + 3] = Tokenizer.UNK;
        assertEquals("la luz", SPANISH.decode(framed));
    }

    @Test
    void byteTokensThatAreNotUtf8DecodeAsReplacementCharacters() {
        int c3 = SPANISH.id("<0xC3>");
        int b1 = SPANISH.id("<0xB1>");
        int ff = SPANISH.id("<0xFF>");
        assertEquals("ñ", SPANISH.decode(new int[] {c3, b1}));
        // the library replaces every byte of a run that is not UTF-8 as a whole
        assertEquals("\uFFFD\uFFFD\uFFFD", SPANISH.decode(new int[] {c3, b1, ff}));
        assertEquals("ñ la", SPANISH.decode(new int[] {c3, b1, SPANISH.id("▁la")}));
    }

    @Test
    void specialTokensSpelledInTheTextBecomeTheirIds() {
        int[] la = SPANISH.encode("la");
        int[] luz = SPANISH.encode("luz");
        int[] expected = IntStream.concat(IntStream.concat(Arrays.stream(la), IntStream.of(Tokenizer.EOS)), Arrays.stream(luz)).toArray();
        assertArrayEquals(expected, SPANISH.encode("la <eos>luz"));
        assertEquals("la luz", SPANISH.decode(SPANISH.encode("la <eos>luz")));
    }

    @Test
    void normalisationIsNfcOneSpaceForAnyWhiteSpaceRunAndStripped() {
        assertEquals("é", Tokenizer.normalize("e\u0301"));
        assertEquals("a b c d e f", Tokenizer.normalize("  a \t\n b\u00A0c\u3000d\u2028e\u0085f \r\n"));
        // not White_Space: the information separators and the zero-width space stay
        assertEquals("\u001Cx\u200By", Tokenizer.normalize("\u001Cx\u200By"));
        assertEquals("a\uFFFDb", Tokenizer.normalize("a\uD800b"));
        assertEquals("🙂", Tokenizer.normalize("🙂"));
        assertEquals("", Tokenizer.normalize(" \t "));
    }

    @Test
    void idsOutsideTheVocabularyAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SPANISH.decode(new int[] {5, SPANISH.size()}));
        assertEquals("token id " + SPANISH.size() + " is outside this vocabulary of " + SPANISH.size() + " tokens", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SPANISH.token(-1));
    }

    @Test
    void isSafeToShareBetweenThreads() {
        List<String> lines = BundledCorpus.dev().source();
        Tokenizer shared = new BpeTrainer(400, 1).train(List.of("la tierra y los cielos"));
        Tokenizer alone = new BpeTrainer(400, 1).train(List.of("la tierra y los cielos"));
        List<String> parallel = lines.parallelStream().map(l -> Arrays.toString(shared.encode(l))).toList();
        List<String> serial = lines.stream().map(l -> Arrays.toString(alone.encode(l))).toList();
        assertEquals(serial, parallel);
    }
}
