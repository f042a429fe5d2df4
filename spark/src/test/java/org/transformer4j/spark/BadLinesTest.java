package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.training.data.TextLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A line that is not UTF-8 or is too long gets an empty result and a counted warning, and the job goes on: the
 * other lines get what {@code t4j translate} gives them.
 */
class BadLinesTest {

    static final int LIMIT = 60;

    static SparkSession spark;
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("BadLinesTest");
        dir = Fixtures.directory("bad-lines");
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(spark);
    }

    @Test
    void badLinesAreLeftEmptyWithACountedWarningAndTheJobSucceeds() throws IOException {
        // The ten shortest verses (well under the limit), and one line of twenty verses (far over it).
        List<String> good = Fixtures.SOURCES.stream().sorted(java.util.Comparator.comparingInt(String::length)).limit(10)
                .toList();
        String overlong = String.join(" ", Fixtures.SOURCES.subList(20, 40));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> goodLines = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            if (i == 3) {
                bytes.write("Y dijo Dios: Sea la ".getBytes(StandardCharsets.UTF_8));
                bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'}); // a lead byte without its continuation
            }
            if (i == 6) {
                bytes.write((overlong + "\n").getBytes(StandardCharsets.UTF_8));
            }
            bytes.write((good.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
            goodLines.add(good.get(i));
        }
        Path input = dir.resolve("bad.es");
        Files.write(input, bytes.toByteArray());
        long invalidLine = 4;
        long overlongLine = 8; // 3 good lines, the invalid one, 3 good lines, then the long one

        Path reference = dir.resolve("good.en");
        Fixtures.Run t4j = Fixtures.t4j("translate", "--model", Fixtures.model().toString(), "--input",
                Fixtures.write(dir.resolve("good.es"), goodLines).toString(), "--output", reference.toString(),
                "--threads", "1", "--beam", "1", "--max-source-len", "" + LIMIT);
        assertEquals(0, t4j.exitCode(), t4j.err());
        List<String> expected = TextLines.read(reference);

        Path text = dir.resolve("out-text");
        JobReport report = TranslateJob.run(spark, new TranslateSpec(LocalSpark.model(LIMIT),
                InputSpec.text(input.toString()), text.toString(), OutputFormat.TEXT, false, 3, DecodingOptions.greedy(),
                null));
        assertEquals(12, report.lines(), report.toString());
        assertEquals(1, report.invalidUtf8(), report.toString());
        assertEquals(1, report.tooLong(), report.toString());
        assertEquals(0, report.failed(), report.toString());
        TreeMap<Long, String> byLine = Fixtures.byLine(Fixtures.textRows(text));
        assertEquals(12, byLine.size());
        assertEquals("", byLine.remove(invalidLine));
        assertEquals("", byLine.remove(overlongLine));
        assertEquals(expected, new ArrayList<>(byLine.values()), "the good lines, as t4j translate gives them");

        Path json = dir.resolve("out-json");
        TranslateJob.run(spark, new TranslateSpec(LocalSpark.model(LIMIT), InputSpec.text(input.toString()),
                json.toString(), OutputFormat.JSON, false, 3, DecodingOptions.greedy(), null));
        TreeMap<Long, JsonNode> rows = new TreeMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String row : Fixtures.textRows(json)) {
            JsonNode n = mapper.readTree(row);
            rows.put(n.get("line").asLong(), n);
        }
        assertEquals(12, rows.size());
        assertEquals("line 4 is not valid UTF-8; left untranslated", rows.get(invalidLine).get("warning").asText());
        assertTrue(rows.get(overlongLine).get("warning").asText().startsWith("line 8 has "),
                rows.get(overlongLine).toString());
        assertTrue(rows.get(overlongLine).get("warning").asText().contains("more than the limit of " + LIMIT));
        assertEquals("", rows.get(overlongLine).get("translation").asText());
        assertNull(rows.get(1L).get("warning"), "Spark's JSON writer leaves out null columns");
        assertEquals(expected.getFirst(), rows.get(1L).get("translation").asText());
    }
}
