package org.transformer4j.model.vocab;

import org.transformer4j.training.data.BundledCorpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * The proof that our tokenizer.json means to the real Hugging Face tokenizers library (its Rust code, through
 * DJL) what it means to us: a vocabulary of 8000 learned from the bundled corpus, written, loaded by the
 * library, and then the same ids for thousands of lines of both languages, the same text back from decoding,
 * also for characters never seen in training, odd white space and spelled-out special tokens.
 */
class HuggingFaceCompatibilityTest {

    /**
     * Lines the corpus never shows: unseen scripts, emoji, combining marks, white space of all kinds, special
     * tokens and "▁" in the text, and runs of one letter (the only place where merging the leftmost occurrence
     * of a pair first, not the rightmost, makes a difference).
     */
    private static final List<String> UNUSUAL = List.of(
            "Привет 🙂 naïve",
            "日本語のテキストと中文，还有한국어",
            "cafe\u0301 and caf\u00e9 (NFD and NFC)",
            "  tabs\tand\nnew lines\r\n, no-break\u00a0and ideographic\u3000spaces, U+0085\u0085and U+2028\u2028too  ",
            "separators\u001cstay, as do zero\u200bwidth and BOM\ufeff and mongolian\u180evowel",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters and 🇪🇸 flags and 👩‍👩‍👧 families",
            "Él dijo: «¿Dónde está?» — ¡Aquí!",
            "<eos>",
            "la<eos>luz <pad> y <unk>tierra<bos>",
            "x<0x41>y <0xFF>",
            "▁ a metaspace of its own ▁▁ twice, and at the end▁",
            "Sssss, llllamó, seeeeed, gooooood, aaaa, ¡¡¡Ay!!! ... ....",
            "",
            "   ");

    private static Tokenizer ours;
    private static HuggingFaceTokenizer theirs;
    private static List<String> lines;

    @BeforeAll
    static void learnWriteAndLoad(@TempDir Path dir) throws IOException {
        List<String> es = BundledCorpus.train().source();
        List<String> en = BundledCorpus.train().target();
        List<String> joint = new ArrayList<>(es);
        joint.addAll(en);
        ours = new BpeTrainer(8000, 2).train(joint);
        Path file = dir.resolve(Tokenizer.FILE_NAME);
        ours.write(file);
        theirs = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(false)
                .optTruncation(false).optPadding(false).build();

        lines = new ArrayList<>();
        for (int i = 0; i < es.size(); i += 20) {
            lines.add(es.get(i));
            lines.add(en.get(i));
        }
        lines.addAll(BundledCorpus.dev().source());
        lines.addAll(BundledCorpus.dev().target());
        lines.addAll(UNUSUAL);
    }

    @AfterAll
    static void close() {
        if (theirs != null) {
            theirs.close();
        }
    }

    @Test
    void theLibraryEncodesEveryLineToOurIds() {
        assertEquals(8000, ours.size());
        assertTrue(lines.size() > 3000, lines.size() + " lines");
        Encoding[] encodings = theirs.batchEncode(lines);
        List<String> mismatches = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < lines.size(); i++) {
            long[] expected = encodings[i].getIds();
            int[] actual = ours.encode(lines.get(i));
            tokens += actual.length;
            if (!Arrays.equals(expected, Arrays.stream(actual).asLongStream().toArray())) {
                mismatches.add("\"" + lines.get(i) + "\": library " + Arrays.toString(encodings[i].getTokens())
                        + ", ours " + Arrays.stream(actual).mapToObj(ours::token).toList());
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())), mismatches.size() + " lines differ");
        assertTrue(tokens > 100_000, tokens + " tokens");
    }

    @Test
    void unseenCharactersAreEncodedAsBytesByBoth() {
        for (String line : UNUSUAL.subList(0, 2)) {
            long bytes = Arrays.stream(ours.encode(line)).filter(id -> id >= 4 && id < 260).count();
            assertTrue(bytes > 10, line + " has only " + bytes + " byte tokens");
        }
    }

    @Test
    void bothDecodeEveryLineBackToItsNormalisedText() {
        for (String line : lines) {
            int[] ids = ours.encode(line);
            String decoded = ours.decode(ids);
            assertEquals(theirs.decode(Arrays.stream(ids).asLongStream().toArray(), true), decoded, line);
            if (!line.contains("▁")) { // a "▁" of the text's own comes back as a space
                assertEquals(Tokenizer.normalize(line.replaceAll("<(pad|bos|eos|unk)>", " ")), decoded, line);
            }
        }
    }

    @Test
    void bothDecodeAnySequenceOfIdsAlike() {
        Random random = new Random(11);
        for (int sequence = 0; sequence < 2000; sequence++) {
            // mostly byte tokens, so that valid and broken UTF-8 runs both occur
            int[] ids = random.ints(1 + random.nextInt(12), 0, 4).map(kind -> switch (kind) {
                case 0 -> random.nextInt(ours.size());
                case 1 -> random.nextInt(4);
                default -> 4 + (random.nextBoolean() ? random.nextInt(256) : 0xC0 + random.nextInt(0x30));
            }).toArray();
            String expected = theirs.decode(Arrays.stream(ids).asLongStream().toArray(), true);
            assertEquals(expected, ours.decode(ids), Arrays.stream(ids).mapToObj(ours::token).toList().toString());
        }
    }
}
