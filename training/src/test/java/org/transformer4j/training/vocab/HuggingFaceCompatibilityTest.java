package org.transformer4j.training.vocab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.training.data.BundledCorpus;
import org.transformer4j.training.data.ParallelText;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * The {@code tokenizer.json} we write is loaded by the real Hugging Face tokenizers library (its Rust code,
 * through DJL) and encodes exactly as we do: same ids for thousands of corpus lines in both languages and for
 * text with characters never seen in training, and both decoders restore the normalised text.
 */
class HuggingFaceCompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void theRealLibraryEncodesAndDecodesExactlyAsWeDo() throws Exception {
        ParallelText train = BundledCorpus.train();
        List<String> learnFrom = new ArrayList<>(train.source().subList(0, 8000));
        learnFrom.addAll(train.target().subList(0, 8000));
        Tokenizer ours = new BpeTrainer(4000, 2).train(learnFrom);
        Path file = dir.resolve("tokenizer.json");
        ours.write(file);

        List<String> lines = new ArrayList<>();
        lines.addAll(train.source().subList(20_000, 21_500)); // not learned from
        lines.addAll(train.target().subList(20_000, 21_500));
        lines.addAll(BundledCorpus.dev().source());
        lines.addAll(List.of("Привет 🙂 naïve", "你好，世界", "tabs\tand  double  spaces ", "  leading and trailing  ",
                "decomposed cafe\u0301", "¿Qué? ¡Sí! “quotes” — dash", ""));

        System.setProperty("ai.djl.offline", "true");
        try (HuggingFaceTokenizer real = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).build()) {
            int checked = 0;
            for (String line : lines) {
                int[] mine = ours.encode(line);
                Encoding encoding = real.encode(line);
                long[] theirs = encoding.getIds();
                int[] theirsInt = new int[theirs.length];
                for (int i = 0; i < theirs.length; i++) {
                    theirsInt[i] = Math.toIntExact(theirs[i]);
                }
                assertArrayEquals(theirsInt, mine, () -> "ids differ for: " + line + "\nours:   " + ours.tokenize(line)
                        + "\ntheirs: " + List.of(encoding.getTokens()));
                String normalized = Normalizer.normalize(line);
                assertEquals(normalized, ours.decode(mine), line);
                assertEquals(normalized, real.decode(theirs, true), line);
                checked++;
            }
            assertTrue(checked > 3000, "checked " + checked + " lines");
        }
    }
}
