package org.transformer4j.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./t4j} as a user runs it: stderr carries our own lines only (the JVM's "Using incubator modules" warning is
 * filtered out), every other stderr line and the exit status come through. The jar must have been built (the
 * package phase); the script is told never to build (T4J_NO_BUILD), so a stale jar skips the test.
 */
class LauncherProcessTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run t4j(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("bash", ROOT.resolve("t4j").toString()),
                        java.util.Arrays.stream(args)).toList());
        pb.environment().put("T4J_NO_BUILD", "1");
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "t4j did not finish in 120 s");
        Run run = new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
        assumeTrue(run.exit() != 3, "the t4j jar is older than the sources: " + run.err());
        return run;
    }

    @Test
    void aCommandThatSucceedsPrintsNothingOnStderr() throws IOException, InterruptedException {
        Run run = t4j("backends");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("cpu"), run.out());
        assertEquals("", run.err(), "stderr of a successful command");
    }

    @Test
    void anErrorStillArrivesAsOneLineWithItsExitStatus() throws IOException, InterruptedException {
        Run run = t4j("translate", "--model", dir.resolve("missing").toString());
        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.getFirst().startsWith("t4j: "), run.err());
        assertFalse(run.err().contains("incubator"), run.err());
    }
}
