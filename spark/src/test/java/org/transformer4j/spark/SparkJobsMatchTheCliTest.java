package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.spark.executor.FaultInjection;
import org.transformer4j.spark.executor.ModelHolder;
import org.transformer4j.training.data.TextLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The jobs in an embedded Spark ({@code local[2,4]}) give what {@code t4j translate} and {@code t4j score} give,
 * line for line, on the 214 dev verses spread over four partitions; a task that fails part-way on its first attempt
 * is retried and the output is the same, byte for byte.
 */
class SparkJobsMatchTheCliTest {

    static SparkSession spark;
    static Path dir;
    static Path input;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkJobsMatchTheCliTest");
        dir = Fixtures.directory("match");
        input = Fixtures.write(dir.resolve("dev.es"), Fixtures.SOURCES);
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(spark);
    }

    @Test
    void translateGivesWhatT4jTranslateGivesLineForLine() throws IOException {
        Path reference = dir.resolve("reference.en");
        Fixtures.Run t4j = Fixtures.t4j("translate", "--model", Fixtures.model().toString(), "--input", input.toString(),
                "--output", reference.toString(), "--threads", "1");
        assertEquals(0, t4j.exitCode(), t4j.err());
        List<String> expected = TextLines.read(reference);

        Path output = dir.resolve("translate-out");
        ModelHolder.closeAll(); // whatever ran before: this job loads the model itself
        JobReport report = TranslateJob.run(spark, new TranslateSpec(LocalSpark.model(), InputSpec.text(input.toString()),
                output.toString(), OutputFormat.TEXT, false, 4, DecodingOptions.defaults(), null));

        List<String> rows = Fixtures.textRows(output);
        TreeMap<Long, String> byLine = Fixtures.byLine(rows);
        assertEquals(LongStream.rangeClosed(1, expected.size()).boxed().toList(), new ArrayList<>(byLine.keySet()),
                "one row per input line, keyed 1.." + expected.size());
        assertEquals(new ArrayList<>(byLine.keySet()), rows.stream().map(r -> Long.parseLong(r.split("\t", 2)[0])).toList(),
                "the part files, read in order, keep the input order");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), byLine.get(i + 1L), "line " + (i + 1));
        }
        assertTrue(Fixtures.parts(output).size() >= 4, "spread over at least 4 partitions: " + Fixtures.parts(output));
        assertTrue(report.partitions() >= 4, report.toString());
        assertEquals(expected.size(), report.lines());
        assertEquals(0, report.badLines());
        assertEquals(1, report.modelLoads(), "one JVM, one model, however many tasks: " + report);
        assertTrue(report.peakBackendBytes() > Files.size(Fixtures.model().resolve("model.safetensors")) / 2,
                "the backend's peak holds at least the weights: " + report);
    }

    @Test
    void scoreGivesWhatT4jScoreGivesForEachPair() throws IOException {
        Path source = input;
        Path target = Fixtures.write(dir.resolve("dev.en"), Fixtures.TARGETS);
        Path output = dir.resolve("score-out");
        JobReport report = ScoreJob.run(spark, new ScoreSpec(LocalSpark.model(), source.toString(), target.toString(),
                output.toString(), OutputFormat.TEXT, false, 4, 0.6, null));
        TreeMap<Long, String> byLine = Fixtures.byLine(Fixtures.textRows(output));
        assertEquals(Fixtures.SOURCES.size(), byLine.size());
        assertEquals(Fixtures.SOURCES.size(), report.lines());

        Vocabularies v = Vocabularies.read(Fixtures.model());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < Fixtures.SOURCES.size(); i += 20) { // 11 pairs through the command line, each a process's worth
            String[] fields = byLine.get(i + 1L).split("\t");
            Fixtures.Run t4j = Fixtures.t4j("score", "--model", Fixtures.model().toString(), "--src-ids",
                    ids(v.source().encode(Fixtures.SOURCES.get(i))), "--tgt-ids", ids(v.target().encode(Fixtures.TARGETS.get(i))),
                    "--length-penalty", "0.6", "--threads", "1");
            assertEquals(0, t4j.exitCode(), t4j.err());
            JsonNode expected = json.readTree(t4j.out());
            assertEquals(expected.get("tokens").size(), Integer.parseInt(fields[0]), "tokens of line " + (i + 1));
            assertEquals(expected.get("sum").asDouble(), Double.parseDouble(fields[1]), "log-probability of line " + (i + 1));
            assertEquals(expected.get("score").asDouble(), Double.parseDouble(fields[2]), "score of line " + (i + 1));
            assertEquals(Double.parseDouble(fields[1]) / Integer.parseInt(fields[0]), Double.parseDouble(fields[3]), 1e-12);
            assertTrue(Double.parseDouble(fields[1]) < 0);
        }
    }

    @Test
    void aTaskFailingPartWayOnItsFirstAttemptIsRetriedAndTheOutputIsTheSameBytes() throws IOException {
        Path target = Fixtures.write(dir.resolve("dev-fault.en"), Fixtures.TARGETS);
        Path clean = dir.resolve("score-clean");
        Path faulty = dir.resolve("score-faulty");
        ScoreJob.run(spark, new ScoreSpec(LocalSpark.model(), input.toString(), target.toString(), clean.toString(),
                OutputFormat.TEXT, false, 4, 0, null));
        JobReport report = ScoreJob.run(spark, new ScoreSpec(LocalSpark.model(), input.toString(), target.toString(),
                faulty.toString(), OutputFormat.TEXT, false, 4, 0, new FaultInjection(1, 10)));

        assertEquals(Fixtures.SOURCES.size(), report.lines(), "the failed attempt's lines are not counted: " + report);
        List<Path> a = Fixtures.parts(clean);
        List<Path> b = Fixtures.parts(faulty);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), "part " + i);
        }
        Fixtures.byLine(Fixtures.textRows(faulty)); // no line twice
        assertEquals(Fixtures.SOURCES.size(), Fixtures.textRows(faulty).size());
        assertTrue(Files.exists(faulty.resolve("_SUCCESS")));
        try (var files = Files.walk(faulty)) {
            assertEquals(List.of(), files.filter(f -> f.toString().contains("_temporary")).toList(),
                    "no attempt's leftovers");
        }
    }

    private static String ids(int[] ids) {
        return IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
