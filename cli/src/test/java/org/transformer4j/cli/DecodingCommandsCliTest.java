package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code translate}, {@code eval} and {@code score --length-penalty} end to end, and their bad inputs. */
class DecodingCommandsCliTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path input;

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
        Path src = write("train.es", s);
        Path tgt = write("train.en", t);
        model = dir.resolve("model");
        CliRun train = CliRun.of("train", "--src", src.toString(), "--tgt", tgt.toString(), "--model", model.toString(),
                "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64", "--warmup", "10", "--threads", "1",
                "--max-steps", "3");
        assertEquals(0, train.exitCode(), train.err());
        input = write("in.es", ES);
    }

    static Path write(String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void translateWritesOneLinePerInputLineAndScoresAgainstReferences() throws IOException {
        Path out = dir.resolve("out.en");
        Path ref = write("ref.en", EN);
        CliRun run = CliRun.of("translate", "--model", model.toString(), "--input", input.toString(), "--output",
                out.toString(), "--beam", "2", "--max-len-a", "0", "--max-len-b", "4", "--ref", ref.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertTrue(run.out().startsWith("BLEU = "), run.out());
        assertTrue(run.out().contains("chrF2 = "), run.out());
        // The scores printed are those of eval on the same files.
        CliRun eval = CliRun.of("eval", "--hyp", out.toString(), "--ref", ref.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().startsWith(run.out().strip().split("\n")[0]), eval.out());
    }

    @Test
    void nbestOutputIsATsvOfIndexRankScoreAndTextWithTheScoreOfScore() throws IOException {
        CliRun run = CliRun.of("translate", "--model", model.toString(), "--input", input.toString(), "--beam", "3",
                "--nbest", "3", "--max-len-a", "0", "--max-len-b", "3", "--length-penalty", "0.6");
        assertEquals(0, run.exitCode(), run.err());
        String[] rows = run.out().strip().split("\n");
        assertEquals(9, rows.length);
        for (int i = 0; i < rows.length; i++) {
            String[] f = rows[i].split("\t", -1);
            assertEquals(4, f.length, rows[i]);
            assertEquals(i / 3, Integer.parseInt(f[0]));
            assertEquals(i % 3 + 1, Integer.parseInt(f[1]));
            Double.parseDouble(f[2]);
        }
    }

    @Test
    void scoreAppliesTheLengthPenaltyToTheSum() throws IOException {
        CliRun run = CliRun.of("score", "--model", model.toString(), "--src-ids", "5,6,7", "--tgt-ids", "8,9",
                "--length-penalty", "0.6");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        double sum = json.get("sum").asDouble();
        assertEquals(sum / Math.pow((5 + 3) / 6.0, 0.6), json.get("score").asDouble(), 1e-9);
    }

    @Test
    void evalReproducesSacreBleusPublishedExample() throws IOException {
        Path hyp = write("hyp.txt", List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."));
        Path ref1 = write("r1.txt", List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."));
        Path ref2 = write("r2.txt", List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));
        CliRun run = CliRun.of("eval", "--hyp", hyp.toString(), "--ref", ref1.toString(), "--ref", ref2.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17"
                + " ref_len = 18)\nchrF2 = 59.73\n"), run.out());
    }

    @Test
    void overlongLinesAreLeftEmptyWithAWarningAndTheFileStaysAligned() throws IOException {
        Path long_ = write("long.es", List.of("la luz", "la luz y la tierra y el agua y el cielo y dijo Dios", "el agua"));
        CliRun run = CliRun.of("translate", "--model", model.toString(), "--input", long_.toString(), "--beam", "1",
                "--max-source-len", "6", "--max-len-a", "0", "--max-len-b", "3");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n", -1);
        assertEquals(4, lines.length, "three lines and the final newline: " + run.out());
        assertEquals("", lines[1]);
        assertTrue(run.errorLine().startsWith("t4j: warning: line 2 has"), run.err());
    }

    @Test
    void badInputIsOneLineAndTheRightExitCode() throws IOException {
        CliRun nbest = CliRun.of("translate", "--model", model.toString(), "--input", input.toString(), "--beam", "2",
                "--nbest", "3");
        assertEquals(2, nbest.exitCode());
        assertTrue(nbest.errorLine().contains("--nbest"), nbest.err());

        CliRun noModel = CliRun.of("translate", "--model", dir.resolve("none").toString(), "--input", input.toString());
        assertEquals(1, noModel.exitCode());
        noModel.errorLine();

        Path latin1 = dir.resolve("latin1.es");
        Files.write(latin1, "ni\u00f1o\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRun invalid = CliRun.of("translate", "--model", model.toString(), "--input", latin1.toString());
        assertEquals(1, invalid.exitCode());
        assertTrue(invalid.errorLine().contains("line 1: invalid UTF-8"), invalid.err());

        Path two = write("two.en", List.of("a", "b"));
        CliRun mismatch = CliRun.of("eval", "--hyp", input.toString(), "--ref", two.toString());
        assertEquals(1, mismatch.exitCode());
        assertTrue(mismatch.errorLine().contains("has 2 lines"), mismatch.err());

        CliRun prefixAlone = CliRun.of("translate", "--model", model.toString(), "--prefix", two.toString());
        assertEquals(2, prefixAlone.exitCode());
        prefixAlone.errorLine();
        assertFalse(prefixAlone.err().contains("Exception"));
    }

    @Test
    void aBadOptionAgainstLoopsIsOneLineAndExitCode2() {
        String[] in = {"--model", model.toString(), "--input", input.toString()};
        String[] score = {"--model", model.toString(), "--src-ids", "5,6", "--tgt-ids", "7"};
        String[] illustrate = {"--model", model.toString(), "--src", "la luz"};
        List<String[]> bad = List.of(
                concat("translate", in, "--no-repeat-ngram", "-1"),
                concat("translate", in, "--no-repeat-ngram", "two"),
                concat("translate", in, "--repetition-penalty", "0"),
                concat("translate", in, "--repetition-penalty", "NaN"),
                concat("translate", in, "--coverage-penalty", "-0.5"),
                concat("translate", in, "--coverage-penalty", "0.2", "--beam", "1"),
                concat("translate", in, "--coverage-penalty", "0.2", "--sample"),
                concat("score", score, "--repetition-penalty", "-2"),
                concat("score", score, "--no-repeat-ngram", "-3"),
                concat("illustrate", illustrate, "--coverage-penalty", "0.3", "--beam", "1"),
                concat("illustrate", illustrate, "--repetition-penalty", "0"));
        for (String[] args : bad) {
            CliRun run = CliRun.of(args);
            String what = String.join(" ", args);
            assertEquals(2, run.exitCode(), what + ": " + run.err());
            // one line; picocli's own parse errors (not a number) add its hint "Run 't4j translate --help' for usage."
            List<String> err = run.err().lines().toList();
            assertTrue(err.size() == 1 || err.size() == 2 && err.get(1).contains("--help"), run.err());
            String line = err.getFirst();
            assertTrue(line.contains("--no-repeat-ngram") || line.contains("--repetition-penalty")
                    || line.contains("--coverage-penalty"), what + ": " + line);
            assertFalse(run.err().contains("Exception"), run.err());
        }
    }

    @Test
    void translateUnderTheOptionsAgainstLoopsWritesOneLinePerInputLine() throws IOException {
        CliRun run = CliRun.of("translate", "--model", model.toString(), "--input", input.toString(), "--beam", "2",
                "--max-len-a", "0", "--max-len-b", "6", "--no-repeat-ngram", "1", "--repetition-penalty", "1.2",
                "--coverage-penalty", "0.2");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        CliRun greedy = CliRun.of("translate", "--model", model.toString(), "--input", input.toString(), "--beam", "1",
                "--max-len-a", "0", "--max-len-b", "6", "--no-repeat-ngram", "2", "--repetition-penalty", "1.2");
        assertEquals(0, greedy.exitCode(), greedy.err());
        assertEquals(3, greedy.out().lines().count(), greedy.out());
    }

    private static String[] concat(String command, String[] common, String... more) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(common));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
