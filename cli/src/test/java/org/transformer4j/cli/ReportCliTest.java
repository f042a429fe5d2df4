package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code t4j report}: the curves of metrics.jsonl, several runs overlaid, a torn last line, bad input. */
class ReportCliTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() throws IOException {
        model = PageFixtures.trainTinyModel(dir, "model", 4);
    }

    @Test
    void thePageCarriesEveryStepValidationAndCheckpoint() throws IOException {
        Path page = dir.resolve("report.html");
        CliRun run = CliRun.of("report", "--model", model.toString(), "--out", page.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        JsonNode runs = PageFixtures.pageData(page).get("runs");
        assertEquals(1, runs.size());
        List<String> lines = Files.readAllLines(model.resolve("metrics.jsonl"));
        long trainLines = lines.stream().filter(l -> l.contains("\"type\":\"train\"")).count();
        long validLines = lines.stream().filter(l -> l.contains("\"type\":\"valid\"")).count();
        assertEquals(trainLines, runs.get(0).get("train").get("step").size());
        assertEquals(4, runs.get(0).get("train").get("step").get(3).asInt());
        assertEquals(validLines, runs.get(0).get("valid").get("loss").size());
        assertTrue(validLines > 0, "the fixture validates");
        assertTrue(runs.get(0).get("checkpoints").size() > 0, "the fixture checkpoints");
        assertTrue(runs.get(0).get("best_step").asInt() > 0);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("<title>t4j report: " + model));
    }

    @Test
    void severalRunsOverlay() throws IOException {
        Path other = PageFixtures.trainTinyModel(dir.resolve("b"), "model", 2);
        Path page = dir.resolve("two.html");
        CliRun run = CliRun.of("report", "--model", model.toString(), "--model", other.toString(), "--out", page.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode runs = PageFixtures.pageData(page).get("runs");
        assertEquals(2, runs.size());
        assertEquals(other.toString(), runs.get(1).get("name").asText());
        assertEquals(2, runs.get(1).get("train").get("step").size());
    }

    @Test
    void aTornLastLineIsReadUpToItWithAWarning() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("torn"));
        String text = Files.readString(model.resolve("metrics.jsonl"));
        String last = "{\"type\":\"train\",\"step\":5,\"epoch\":1,\"loss\":5.2";
        Files.writeString(copy.resolve("metrics.jsonl"), text + last);
        Path page = dir.resolve("torn.html");
        CliRun run = CliRun.of("report", "--model", copy.toString(), "--out", page.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.errorLine().startsWith("t4j: warning: "), run.err());
        assertTrue(run.errorLine().contains("incomplete"), run.err());
        JsonNode steps = PageFixtures.pageData(page).get("runs").get(0).get("train").get("step");
        assertEquals(4, steps.get(steps.size() - 1).asInt(), "read up to the torn line");
    }

    @Test
    void aDirectoryWithoutMetricsIsOneLineAndExitOne() {
        CliRun run = CliRun.of("report", "--model", dir.resolve("nothing").toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.errorLine().contains("not found"), run.err());
        CliRun noFile = CliRun.of("report", "--model", dir.toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(1, noFile.exitCode());
        assertTrue(noFile.errorLine().contains("has no metrics.jsonl"), noFile.err());
    }
}
