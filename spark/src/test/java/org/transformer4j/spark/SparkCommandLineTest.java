package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.TextLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code t4j spark} as a user runs it (each run starts and stops its own embedded Spark): the same flags as
 * {@code t4j translate} give the same n-best lists, and a set-up that cannot work gets one line and exit code 1
 * (2 for a wrong command line).
 */
class SparkCommandLineTest {

    static Path dir;
    static Path input;

    @BeforeAll
    static void setUp() {
        dir = Fixtures.directory("command-line");
        input = Fixtures.write(dir.resolve("in.es"), Fixtures.SOURCES.subList(0, 60));
    }

    @Test
    void sampledNBestListsEqualT4jTranslatesWhateverThePartitioning() throws IOException {
        // with the options against loops that sampling takes: the two mixins must stay in step
        String[] decoding = {"--sample", "--nbest", "2", "--seed", "7", "--top-k", "20", "--max-len-b", "8",
                "--max-len-a", "0.5", "--no-repeat-ngram", "2", "--repetition-penalty", "1.2"};
        Path reference = dir.resolve("nbest.tsv");
        List<String> t4jArgs = new ArrayList<>(List.of("translate", "--model", Fixtures.model().toString(), "--input",
                input.toString(), "--output", reference.toString(), "--threads", "1"));
        t4jArgs.addAll(List.of(decoding));
        Fixtures.Run t4j = Fixtures.t4j(t4jArgs.toArray(String[]::new));
        assertEquals(0, t4j.exitCode(), t4j.err());
        List<String> expected = TextLines.read(reference); // index (from 0), rank, score, text

        Path output = dir.resolve("nbest-json");
        List<String> sparkArgs = new ArrayList<>(List.of("translate", "--master", "local[2]", "--model",
                Fixtures.model().toString(), "--input", input.toString(), "--output", output.toString(), "--format",
                "json", "--partitions", "3"));
        sparkArgs.addAll(List.of(decoding));
        Fixtures.Run spark = Fixtures.t4jSpark(sparkArgs.toArray(String[]::new));
        assertEquals(0, spark.exitCode(), spark.err());
        assertTrue(spark.err().matches("(?s)t4j spark: 60 lines translated in [34] partitions.*"), spark.err());

        List<String> got = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String row : Fixtures.textRows(output)) {
            JsonNode n = json.readTree(row);
            got.add((n.get("line").asLong() - 1) + "\t" + n.get("rank").asInt() + "\t"
                    + String.format(Locale.ROOT, "%.4f", n.get("score").asDouble()) + "\t" + oneLine(n.get("translation").asText()));
        }
        assertEquals(120, got.size());
        assertEquals(expected, got);
    }

    /** What t4j translate's line-based output writes for a text (JSON keeps the text as it is). */
    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    }

    @Test
    void aMissingModelDirectoryIsOneLine() {
        Path missing = dir.resolve("no-such-model");
        Fixtures.Run run = Fixtures.t4jSpark("translate", "--model", missing.toString(), "--input", input.toString(),
                "--output", dir.resolve("never").toString());
        assertEquals(1, run.exitCode());
        assertEquals("t4j spark: model directory " + missing + " not found", run.errorLine());
        assertTrue(Files.notExists(dir.resolve("never")));
    }

    @Test
    void aVocabularyThatDoesNotMatchTheModelIsOneLine() throws IOException {
        Path other = dir.resolve("mismatched-model");
        Files.createDirectories(other);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Fixtures.model().resolve(f), other.resolve(f));
        }
        Vocabularies.learn(Fixtures.SOURCES, Fixtures.TARGETS, 300, true).write(other);
        Fixtures.Run run = Fixtures.t4jSpark("score", "--model", other.toString(), "--src", input.toString(),
                "--tgt", input.toString(), "--output", dir.resolve("never").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.errorLine().startsWith("t4j spark: the vocabulary of " + other + " does not match its model"),
                run.err());
    }

    @Test
    void anExistingOutputIsKeptAndOneLineUnlessOverwriteIsGiven() throws IOException {
        Path output = dir.resolve("existing");
        Files.createDirectories(output);
        Files.writeString(output.resolve("keep.txt"), "mine");
        Path small = Fixtures.write(dir.resolve("small.es"), Fixtures.SOURCES.subList(0, 8));
        String[] args = {"translate", "--master", "local[1]", "--model", Fixtures.model().toString(), "--input",
                small.toString(), "--output", output.toString(), "--beam", "1"};
        Fixtures.Run refused = Fixtures.t4jSpark(args);
        assertEquals(1, refused.exitCode());
        assertEquals("t4j spark: output " + output + " exists: add --overwrite to replace it, or choose another --output",
                refused.errorLine());
        assertEquals("mine", Files.readString(output.resolve("keep.txt")));

        List<String> withOverwrite = new ArrayList<>(List.of(args));
        withOverwrite.add("--overwrite");
        Fixtures.Run replaced = Fixtures.t4jSpark(withOverwrite.toArray(String[]::new));
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(8, Fixtures.byLine(Fixtures.textRows(output)).size());
        assertTrue(Files.notExists(output.resolve("keep.txt")));
    }

    @Test
    void aMissingInputAndAnUnknownBackendAreOneLineEach() {
        Fixtures.Run noInput = Fixtures.t4jSpark("translate", "--master", "local[1]", "--model",
                Fixtures.model().toString(), "--input", dir.resolve("nothing.es").toString(), "--output",
                dir.resolve("never").toString());
        assertEquals(1, noInput.exitCode());
        assertEquals("t4j spark: input " + dir.resolve("nothing.es") + " not found", noInput.errorLine());

        Fixtures.Run badBackend = Fixtures.t4jSpark("translate", "--backend", "nope", "--model",
                Fixtures.model().toString(), "--input", input.toString(), "--output", dir.resolve("never").toString());
        assertEquals(2, badBackend.exitCode());
        assertTrue(badBackend.errorLine().startsWith("t4j spark: unknown backend 'nope'"), badBackend.err());
    }

    @Test
    void aBadOptionAgainstLoopsIsOneLineAndExitCode2() {
        Fixtures.Run coverage = Fixtures.t4jSpark("translate", "--model", Fixtures.model().toString(), "--input",
                input.toString(), "--output", dir.resolve("never").toString(), "--beam", "1", "--coverage-penalty", "0.2");
        assertEquals(2, coverage.exitCode());
        assertTrue(coverage.errorLine().contains("--coverage-penalty"), coverage.err());
        Fixtures.Run repetition = Fixtures.t4jSpark("translate", "--model", Fixtures.model().toString(), "--input",
                input.toString(), "--output", dir.resolve("never").toString(), "--repetition-penalty", "-1");
        assertEquals(2, repetition.exitCode());
        assertTrue(repetition.errorLine().contains("--repetition-penalty"), repetition.err());
    }
}
