package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file supplies option values (flags win), and every mistake ends in one line and exit code 2. */
class ConfigAndErrorsCliTest {

    @TempDir
    Path dir;

    private static final String[] QUICK_BENCH = {"bench", "ops", "--scale", "64", "--warmup", "0", "--min-sample-ms", "0"};

    @Test
    void aConfigSectionSetsACommandsOptionAndTheFlagWins() throws IOException {
        Path config = write("threads: 1\nbench:\n  ops:\n    samples: 1\n");
        CliRun fromConfig = CliRun.of(concat(QUICK_BENCH, "--config", config.toString()));
        assertEquals(0, fromConfig.exitCode(), fromConfig.err());
        assertTrue(fromConfig.out().contains("median of 1 samples"), fromConfig.out());
        assertTrue(fromConfig.out().contains(", 1 threads"), fromConfig.out());

        CliRun flagWins = CliRun.of(concat(QUICK_BENCH, "--config", config.toString(), "--samples", "3"));
        assertTrue(flagWins.out().contains("median of 3 samples"), flagWins.out());
    }

    @Test
    void underscoreKeysWorkLikeDashedOnes() throws IOException {
        CliRun run = CliRun.of(concat(QUICK_BENCH, "--samples", "1", "--config", write("min_sample_ms: 0\nbench:\n  ops:\n    warmup: 0\n").toString()));
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void anUnknownConfigKeyIsAUsageError() throws IOException {
        CliRun run = CliRun.of("backends", "--config", write("bakcend: cpu\n").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.errorLine().startsWith("t4j: config file ") && run.errorLine().contains("'bakcend' is not an option"),
                run.err());
    }

    @Test
    void aMissingOrBrokenConfigFileIsAUsageError() throws IOException {
        CliRun missing = CliRun.of("backends", "--config", dir.resolve("absent.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.errorLine().endsWith("absent.yaml not found"), missing.err());

        CliRun broken = CliRun.of("backends", "--config", write("threads: [1\n").toString());
        assertEquals(2, broken.exitCode());
        assertTrue(broken.errorLine().contains("is not valid YAML"), broken.err());

        CliRun notAMap = CliRun.of("backends", "--config", write("- a\n- b\n").toString());
        assertEquals(2, notAMap.exitCode());
        assertTrue(notAMap.errorLine().contains("must be a mapping"), notAMap.err());
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithAHint() {
        CliRun run = CliRun.of("backends", "--bogus");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("t4j: Unknown option: '--bogus'"), run.err());
        assertTrue(run.err().contains("Run 't4j backends --help' for usage."), run.err());
    }

    @Test
    void aBadValueIsReportedInOneLine() {
        CliRun run = CliRun.of("bench", "ops", "--scale", "3");
        assertEquals(1, run.exitCode());
        assertTrue(run.errorLine().contains("--scale a power of two"), run.err());
    }

    @Test
    void helpAndVersionWork() {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("backends") && help.out().contains("bench"), help.out());
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("transformer4j "), version.out());
    }

    @Test
    void opsBenchPrintsEveryOpForTheChosenBackend() {
        CliRun run = CliRun.of(concat(QUICK_BENCH, "--samples", "1", "--backend", "cpu"));
        assertEquals(0, run.exitCode(), run.err());
        for (String op : new String[] {"matmul", "batched matmul", "softmax", "layerNorm", "crossEntropy"}) {
            assertTrue(run.out().contains(op), run.out());
        }
        assertTrue(run.out().contains("GFLOP/s") && run.out().contains("GB/s"), run.out());
    }

    private Path write(String yaml) throws IOException {
        Path p = dir.resolve("c" + System.nanoTime() + ".yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
