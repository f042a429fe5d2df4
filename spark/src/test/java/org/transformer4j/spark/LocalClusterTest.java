package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.spark.executor.FaultInjection;
import org.transformer4j.spark.executor.ModelHolder;
import org.transformer4j.spark.executor.ModelSpec;
import org.transformer4j.training.data.TextLines;

/**
 * Real executors: Spark's {@code local-cluster[2,1,768]} starts a master and two workers in this JVM, and each
 * worker starts its executor as a separate JVM (a {@code java} process of its own, with the test class path). The
 * model is shipped with the job ({@code SparkFiles}). The first attempt of one task fails part-way through its
 * rows; Spark runs it again, and the output is complete, without duplicates, equal to {@code t4j translate}, and
 * byte for byte what a run without the failure writes.
 */
class LocalClusterTest {

    static SparkSession spark;
    static Path dir;
    static Path input;
    static List<String> lines = Fixtures.SOURCES.subList(0, 120);

    @BeforeAll
    static void start() {
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,768]").setAppName("LocalClusterTest")
                .set("spark.executor.memory", "512m")
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", "3")
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0"); // both executors up before the first task
        LocalClusters.configure(conf, LocalClusters.currentClassPath());
        spark = SparkSession.builder().config(conf).getOrCreate();
        dir = Fixtures.directory("cluster");
        input = Fixtures.write(dir.resolve("in.es"), lines);
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(spark);
    }

    @Test
    void twoExecutorProcessesTranslateWithARetriedTaskAndWriteTheSameBytes() throws IOException {
        Path reference = dir.resolve("reference.en");
        Fixtures.Run t4j = Fixtures.t4j("translate", "--model", Fixtures.model().toString(), "--input", input.toString(),
                "--output", reference.toString(), "--threads", "1", "--beam", "1");
        assertEquals(0, t4j.exitCode(), t4j.err());
        List<String> expected = TextLines.read(reference);

        ModelSpec shipped = new ModelSpec(Fixtures.model().toString(), true, "cpu", Map.of(), 0, 32, 1024);
        Path faulty = dir.resolve("faulty");
        JobReport report = TranslateJob.run(spark, new TranslateSpec(shipped, InputSpec.text(input.toString()),
                faulty.toString(), OutputFormat.TEXT, false, 6, DecodingOptions.greedy(), new FaultInjection(2, 5)));

        TreeMap<Long, String> byLine = Fixtures.byLine(Fixtures.textRows(faulty)); // fails on a duplicate
        assertEquals(LongStream.rangeClosed(1, lines.size()).boxed().toList(), new ArrayList<>(byLine.keySet()));
        assertEquals(expected, new ArrayList<>(byLine.values()));
        assertEquals(lines.size(), report.lines(), report.toString());

        String me = Long.toString(ProcessHandle.current().pid());
        assertEquals(2, report.executors().size(), "two executor processes ran tasks: " + report);
        for (String executor : report.executors()) {
            assertFalse(executor.startsWith(me + "@"), "an executor is this test's JVM: " + report);
        }
        assertEquals(0, ModelHolder.loaded(), "the driver loaded no model");
        assertEquals(2, report.modelLoads(), "one load per executor JVM for " + report.partitions() + " tasks: " + report);
        assertTrue(report.partitions() >= 6, report.toString());

        Path clean = dir.resolve("clean");
        TranslateJob.run(spark, new TranslateSpec(shipped, InputSpec.text(input.toString()), clean.toString(),
                OutputFormat.TEXT, false, 6, DecodingOptions.greedy(), null));
        List<Path> a = Fixtures.parts(clean);
        List<Path> b = Fixtures.parts(faulty);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), "part " + i);
        }
    }
}
