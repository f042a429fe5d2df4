package org.transformer4j.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.TextLines;

/**
 * {@code ./t4j spark translate} as a user types it: the launcher script starts the Spark job jar with Spark's jars
 * from the build's class path files and Spark's JVM flags, in an embedded {@code local[1]} Spark. The jar must have
 * been built (the package phase); the script is told never to build (T4J_NO_BUILD), so a stale jar skips the test.
 */
class SparkLauncherProcessTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void t4jSparkTranslateRunsTheJobJarEndToEnd() throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(ROOT.resolve("spark/target/t4j-spark.jar")), "the Spark job jar is not built");
        List<String> lines = TextLines.readResource("/org/transformer4j/training/corpus/bible-es-en/dev.es.gz", "dev.es")
                .subList(0, 12);
        Path model = dir.resolve("model");
        Vocabularies v = Vocabularies.learn(lines, lines, 300, true);
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            ModelStore store = new ModelStore(backend);
            try (Transformer m = store.initialise(TransformerConfig.builder("tiny").srcVocabSize(v.source().size())
                    .tgtVocabSize(v.target().size()).build(), 3)) {
                store.save(m, model);
            }
        }
        v.write(model);
        Path input = Files.writeString(dir.resolve("in.es"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path output = dir.resolve("out");

        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("t4j").toString(), "spark", "translate", "--master",
                "local[1]", "--model", model.toString(), "--input", input.toString(), "--output", output.toString(),
                "--beam", "1", "--max-len-a", "0", "--max-len-b", "5", "--partitions", "2");
        pb.environment().put("T4J_NO_BUILD", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("log.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "t4j spark did not finish in 180 s");
        String log = Files.readString(dir.resolve("log.txt"));
        assumeTrue(p.exitValue() != 3, "the Spark job jar is older than the sources: " + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("t4j spark: 12 lines translated in 2 partitions"), log);

        List<Long> keys = new ArrayList<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String row : Files.readAllLines(part)) {
                    keys.add(Long.parseLong(row.substring(0, row.indexOf('\t'))));
                }
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), keys);
    }
}
