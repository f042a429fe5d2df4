package org.transformer4j.it.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged jars (the reactor has built them when this module's tests run): the t4j jar holds no Spark, Scala
 * or Hadoop, and the Spark job jar holds our jobs and the cpu backend but leaves Spark, Scala, Hadoop and Jackson to
 * the cluster.
 */
class JarContentsTest {

    private static final Path CLI_JAR = Path.of("..", "cli", "target", "t4j.jar");
    private static final Path SPARK_JAR = Path.of("..", "spark", "target", "t4j-spark.jar");

    private static List<String> entries(Path jar) throws IOException {
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (run the package phase, e.g. ./mvnw verify)");
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void theT4jJarIsFreeOfSpark() throws IOException {
        List<String> entries = entries(CLI_JAR);
        assertTrue(entries.contains("org/transformer4j/cli/T4j.class"), "not the t4j jar?");
        for (String prefix : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "org/transformer4j/spark/")) {
            assertEquals(List.of(), entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList(),
                    "t4j.jar holds " + prefix);
        }
    }

    @Test
    void theSparkJobJarHoldsTheJobsAndTheCpuBackendButNotSpark() throws IOException {
        List<String> entries = entries(SPARK_JAR);
        for (String needed : List.of("org/transformer4j/spark/cli/T4jSpark.class",
                "org/transformer4j/spark/executor/TranslatePartition.class", "org/transformer4j/decoding/Translator.class",
                "META-INF/services/org.transformer4j.api.BackendProvider")) {
            assertTrue(entries.contains(needed), "t4j-spark.jar lacks " + needed);
        }
        for (String prefix : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "com/fasterxml/jackson/")) {
            assertEquals(List.of(), entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList(),
                    "t4j-spark.jar holds " + prefix);
        }
        try (JarFile j = new JarFile(SPARK_JAR.toFile())) {
            assertNotNull(j.getManifest());
            assertEquals("org.transformer4j.spark.cli.T4jSpark", j.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
