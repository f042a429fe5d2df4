package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags that Spark's launcher gives a driver on modern JDKs ({@link JavaModuleOptions}, from the Spark jar
 * itself) are all in ./t4j's Spark launch, in docs/spark.md, and in this test JVM's own command line (surefire's
 * argLine), so that a Spark upgrade that adds one fails here instead of at a user's first job.
 */
class SparkJvmFlagsTest {

    private static String normalised(String text) {
        return text.replace("--add-modules ", "--add-modules=").replace("\\\n", " ");
    }

    @Test
    void sparksLauncherFlagsAreInT4jTheDocsAndTheTests() throws IOException {
        String t4j = normalised(Files.readString(Path.of("..", "t4j")));
        String docs = normalised(Files.readString(Path.of("..", "docs", "spark.md")));
        String jvm = normalised(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        for (String flag : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(t4j.contains(flag), "./t4j spark lacks " + flag);
            assertTrue(docs.contains(flag), "docs/spark.md lacks " + flag);
            assertTrue(jvm.contains(flag), "the spark module's surefire argLine lacks " + flag + ": " + jvm);
        }
    }
}
