package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.model.vocab.Vocabularies;


/**
 * The commands that speak token ids, for comparing with another implementation of the model:
 * {@code translate --ids}.
 */
class TokenIdCommandsCliTest {

    @TempDir
    static Path dir;
    static Path model;
    static Vocabularies vocab;

    static final List<String> ES = List.of("la luz y la tierra", "y dijo Dios: sea la luz", "el agua y el cielo");
    static final List<String> EN = List.of("the light and the earth", "God said, let there be light", "the water and the sky");

    @BeforeAll
    static void trainATinyModel() throws IOException {
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            s.add(ES.get(i % 3));
            t.add(EN.get(i % 3));
        }
        model = dir.resolve("model");
        CliRun train = CliRun.of("train", "--src", write("train.es", s).toString(), "--tgt", write("train.en", t).toString(),
                "--model", model.toString(), "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64", "--warmup",
                "10", "--threads", "1", "--max-steps", "3");
        assertEquals(0, train.exitCode(), train.err());
        vocab = Vocabularies.read(model);
    }

    static Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void translateIdsGivesTheIdsOfTheTextTranslation() throws IOException {
        List<String> lines = new ArrayList<>(ES.stream().map(l -> ids(vocab.source().encode(l))).toList());
        lines.add(1, ""); // an empty line stays empty
        Path in = write("in.ids", lines);
        String[] search = {"--beam", "2", "--max-len-a", "0", "--max-len-b", "5", "--threads", "1"};
        CliRun text = CliRun.of(concat(new String[] {"translate", "--model", model.toString(), "--input",
                write("in.es", ES).toString()}, search));
        CliRun ids = CliRun.of(concat(new String[] {"translate", "--ids", "--model", model.toString(), "--input",
                in.toString()}, search));
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(0, ids.exitCode(), ids.err());
        List<String> texts = text.out().lines().toList();
        List<String> outputs = ids.out().lines().toList();
        assertEquals(4, outputs.size(), ids.out());
        assertEquals("", outputs.get(1));
        List<String> decoded = new ArrayList<>();
        for (String line : List.of(outputs.get(0), outputs.get(2), outputs.get(3))) {
            int[] tokens = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            for (int t : tokens) {
                assertTrue(t != 1 && t != 2, "no <bos>/<eos> in the output: " + line);
            }
            decoded.add(vocab.target().decode(tokens));
        }
        assertEquals(texts, decoded);

        CliRun nbest = CliRun.of("translate", "--ids", "--model", model.toString(), "--input", in.toString(), "--beam", "2",
                "--nbest", "2", "--max-len-a", "0", "--max-len-b", "5", "--threads", "1");
        assertEquals(0, nbest.exitCode(), nbest.err());
        String[] rows = nbest.out().strip().split("\n");
        assertEquals(7, rows.length, nbest.out()); // 3 lines × 2, and one row for the empty line
        assertEquals(outputs.get(0), rows[0].split("\t", -1)[3]);
    }

    @Test
    void translateIdsRejectsWhatIsNotATokenIdInOneLine() throws IOException {
        CliRun word = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("word.ids", List.of("5 6", "5 x 7")).toString());
        assertEquals(1, word.exitCode());
        assertTrue(word.errorLine().contains("word.ids line 2: 'x' is not a token id"), word.err());

        CliRun outside = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("big.ids", List.of("5 300000")).toString());
        assertEquals(1, outside.exitCode());
        assertTrue(outside.errorLine().contains("line 1: token id 300000 is outside the source vocabulary of"),
                outside.err());

        CliRun ref = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("ok.ids", List.of("5 6")).toString(), "--ref", write("ref.en", List.of("x")).toString());
        assertEquals(2, ref.exitCode());
        assertTrue(ref.errorLine().contains("--ref cannot be used with --ids"), ref.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
