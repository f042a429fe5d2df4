package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code info}, {@code init} and {@code score}, run in-process as a user would. */
class ModelCommandsCliTest {

    @TempDir
    Path dir;

    @Test
    void infoShowsThePapersBaseModel() {
        CliRun run = CliRun.of("info", "--preset", "base", "--src-vocab", "37000", "--tgt-vocab", "37000",
                "--tie-embeddings", "all");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("parameters       63,082,496 (63.1M)"), run.out());
        assertTrue(run.out().contains("heads            8 (64 per head)"), run.out());
    }

    @Test
    void infoOverridesAndValidates() {
        CliRun run = CliRun.of("info", "--preset", "tiny", "--vocab", "100", "--layers", "3", "--norm", "pre");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("encoder_layers   3") && run.out().contains("norm             pre"), run.out());

        CliRun bad = CliRun.of("info", "--preset", "tiny", "--vocab", "100", "--heads", "5");
        assertEquals(2, bad.exitCode());
        assertEquals("t4j: invalid model configuration: d_model 64 is not divisible by 5 heads", bad.errorLine());

        CliRun noVocab = CliRun.of("info", "--preset", "tiny");
        assertEquals(2, noVocab.exitCode());
        assertTrue(noVocab.errorLine().contains("--src-vocab"), noVocab.err());
    }

    @Test
    void initWritesAModelThatInfoAndScoreRead() throws IOException {
        Path model = dir.resolve("m");
        CliRun init = CliRun.of("init", "--preset", "tiny", "--src-vocab", "20", "--tgt-vocab", "24", "--seed", "3",
                "--out", model.toString());
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(init.out().startsWith("wrote " + model + ": "), init.out());
        assertTrue(Files.exists(model.resolve("config.json")) && Files.exists(model.resolve("model.safetensors")));

        CliRun info = CliRun.of("info", "--model", model.toString());
        assertTrue(info.out().contains("tgt_vocab_size   24") && info.out().contains("on cpu)"), info.out());

        CliRun score = CliRun.of("score", "--model", model.toString(), "--src-ids", "5,6,7", "--tgt-ids", "9,10,11");
        assertEquals(0, score.exitCode(), score.err());
        JsonNode json = new ObjectMapper().readTree(score.out());
        assertEquals("[9,10,11,2]", json.get("tokens").toString());
        double sum = 0;
        for (JsonNode lp : json.get("logprobs")) {
            assertTrue(lp.asDouble() < 0 && lp.asDouble() > -20, json.toString());
            sum += lp.asDouble();
        }
        assertEquals(4, json.get("logprobs").size());
        assertEquals(sum, json.get("sum").asDouble(), 1e-5);

        // The same seed gives the same model, hence the same scores; another seed does not.
        Path again = dir.resolve("again");
        CliRun.of("init", "--preset", "tiny", "--src-vocab", "20", "--tgt-vocab", "24", "--seed", "3", "--out", again.toString());
        CliRun same = CliRun.of("score", "--model", again.toString(), "--src-ids", "5,6,7", "--tgt-ids", "9,10,11");
        assertEquals(score.out(), same.out());
    }

    @Test
    void initNeverOverwritesAModelUnlessForced() throws IOException {
        Path model = dir.resolve("m");
        String[] args = {"init", "--preset", "tiny", "--vocab", "20", "--out", model.toString()};
        assertEquals(0, CliRun.of(args).exitCode());
        byte[] before = Files.readAllBytes(model.resolve("model.safetensors"));
        CliRun again = CliRun.of(concat(args, "--seed", "9"));
        assertEquals(1, again.exitCode());
        assertTrue(again.errorLine().contains("already holds a model"), again.err());
        assertTrue(Arrays.equals(before, Files.readAllBytes(model.resolve("model.safetensors"))), "the model was left alone");
        assertEquals(0, CliRun.of(concat(args, "--seed", "9", "--force")).exitCode());
        assertTrue(!Arrays.equals(before, Files.readAllBytes(model.resolve("model.safetensors"))));
    }

    @Test
    void scoreReportsBadInputInOneLine() throws IOException {
        Path model = dir.resolve("m");
        CliRun.of("init", "--preset", "tiny", "--vocab", "20", "--out", model.toString());

        CliRun outside = CliRun.of("score", "--model", model.toString(), "--src-ids", "5,60", "--tgt-ids", "1");
        assertEquals(1, outside.exitCode());
        assertEquals("t4j: source token id 60 (sequence 0, position 1) is outside the vocabulary of 20", outside.errorLine());

        CliRun noModel = CliRun.of("score", "--model", dir.resolve("none").toString(), "--src-ids", "5", "--tgt-ids", "6");
        assertEquals(1, noModel.exitCode());
        assertTrue(noModel.errorLine().endsWith("none not found"), noModel.err());

        CliRun notNumbers = CliRun.of("score", "--model", model.toString(), "--src-ids", "5,x", "--tgt-ids", "6");
        assertEquals(2, notNumbers.exitCode());

        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        Files.write(model.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));
        CliRun truncated = CliRun.of("score", "--model", model.toString(), "--src-ids", "5", "--tgt-ids", "6");
        assertEquals(1, truncated.exitCode());
        assertTrue(truncated.errorLine().contains("is truncated"), truncated.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
