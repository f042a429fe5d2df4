package org.transformer4j.model.vocab;

import org.transformer4j.training.data.BundledCorpus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    /** The tokens after the special and byte tokens: the alphabet, then the merged tokens in merge order. */
    private static List<String> learned(Tokenizer t) {
        return IntStream.range(ByteTokens.END_ID, t.size()).mapToObj(t::token).toList();
    }

    @Test
    void mergesTheMostFrequentPairFirstAndStopsBelowTheMinimumFrequency() {
        // words: "▁aa" three times, "▁ab" once; pairs (▁, a) 4, (a, a) 3, (a, b) 1
        Tokenizer t = new BpeTrainer(1000, 2).train(List.of("aa aa", "aa ab"));
        // then (▁a, a) 3 and (▁a, b) 1, below the minimum of 2
        assertEquals(List.of("a", "b", "▁", "▁a", "▁aa"), learned(t));
        assertEquals(List.of("▁a", "b"), List.of(t.token(t.encode("ab")[0]), t.token(t.encode("ab")[1])));
    }

    @Test
    void stopsAtTheRequestedSize() {
        Tokenizer t = new BpeTrainer(ByteTokens.END_ID + 4, 1).train(List.of("aa aa", "aa ab"));
        assertEquals(ByteTokens.END_ID + 4, t.size());
        assertEquals(List.of("a", "b", "▁", "▁a"), learned(t));
    }

    @Test
    void endsSmallerWhenTheCorpusRunsOutOfPairs() {
        Tokenizer t = new BpeTrainer(100_000, 1).train(List.of("hola hola"));
        assertEquals(ByteTokens.END_ID + 5 + 4, t.size());
        assertEquals(List.of("▁hola"), List.of(t.token(t.encode("hola")[0])));
    }

    @Test
    void breaksTiesByTokenIdsLeftThenRight() {
        // every pair occurs once; the alphabet is numbered a, b, c, d, ▁ (code point order)
        Tokenizer t = new BpeTrainer(1000, 1).train(List.of("ab cd"));
        assertEquals(List.of("a", "b", "c", "d", "▁", "ab", "cd", "▁ab", "▁cd"), learned(t));
    }

    @Test
    void keepsTheMostFrequentCharactersWhenTheAlphabetDoesNotFit() {
        // a: 3, ▁: 2, b: 1; room for two characters and no merge
        Tokenizer t = new BpeTrainer(ByteTokens.END_ID + 2, 1).train(List.of("aaa b"));
        assertEquals(List.of("a", "▁"), learned(t));
        assertEquals(List.of("▁", "<0x62>"), IntStream.of(t.encode("b")).mapToObj(t::token).toList());
        assertEquals("aaa b", t.decode(t.encode("aaa b")));
    }

    @Test
    void neverLearnsATokenThatWouldDecodeAsAByte() {
        List<String> corpus = new ArrayList<>();
        for (String prefix : List.of("a", "b", "c", "d", "e", "f")) {
            corpus.add(prefix + "<0x41> " + prefix + "<0x41>z <0x4a>" + prefix);
        }
        Tokenizer t = new BpeTrainer(1000, 1).train(corpus);
        for (int id = ByteTokens.END_ID; id < t.size(); id++) {
            assertEquals(-1, ByteTokens.parse(t.token(id)), "learned token " + t.token(id));
        }
        assertTrue(t.size() > ByteTokens.END_ID + 20, "learned only " + learned(t));
        for (String line : corpus) {
            assertEquals(line, t.decode(t.encode(line)));
        }
    }

    @Test
    void specialTokensInTheCorpusAreNotLearnedAsText() {
        Tokenizer t = new BpeTrainer(1000, 1).train(List.of("la<eos>luz <pad>"));
        assertEquals(List.of("a", "l", "u", "z", "▁", "▁l", "uz", "▁la", "▁luz"), learned(t));
    }

    @Test
    void theSameSentencesInAnyOrderGiveTheSameFile(@TempDir Path dir) throws IOException {
        List<String> sentences = new ArrayList<>(BundledCorpus.dev().source());
        sentences.addAll(BundledCorpus.dev().target());
        new BpeTrainer(1500, 2).train(sentences).write(dir.resolve("a.json"));
        Collections.shuffle(sentences, new Random(1));
        new BpeTrainer(1500, 2).train(sentences).write(dir.resolve("b.json"));
        byte[] a = Files.readAllBytes(dir.resolve("a.json"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.json")));
        assertEquals(1500, Tokenizer.read(dir.resolve("a.json")).size());
    }

    @Test
    void refusesSizesBelowTheFixedTokensAndFrequenciesBelowOne() {
        assertEquals("a vocabulary needs at least 260 tokens (4 special, 256 byte tokens), not 259",
                assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(259, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(8000, 0));
        assertEquals(ByteTokens.END_ID, new BpeTrainer(ByteTokens.END_ID, 1).train(List.of()).size());
    }
}
