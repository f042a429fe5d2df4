package org.transformer4j.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code bench train --forks} from the built jar, for real: the child is started as the parent was (the same
 * java, JVM flags and jar), and Ctrl-C on the parent alone leaves no child running.
 */
class BenchForksProcessTest {

    @Test
    void theChildIsTheSameJvmAndCtrlCOnTheParentEndsIt() throws Exception {
        assumeTrue(Files.exists(T4jProcess.JAR), "needs the command-line jar (not built with -Dshade.skip=true): "
                + T4jProcess.JAR);
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")),
                "needs kill(1) to send SIGINT");
        ProcessBuilder builder = T4jProcess.builder("bench", "train", "--preset", "small", "--steps", "1000", "--warmup",
                "1", "--threads", "1", "--forks", "3");
        builder.command().add(1, "-Xmx700m"); // a flag the child must get too
        Process parent = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle child = null;
        try {
            child = awaitChild(parent);
            List<String> args = List.of(child.info().arguments().orElseThrow());
            assertEquals(ProcessHandle.current().info().command(), child.info().command(), "the same java");
            assertTrue(args.contains("-Xmx700m") && args.contains("--add-modules=jdk.incubator.vector"), args.toString());
            int jar = args.indexOf("-jar");
            assertTrue(jar >= 0 && args.get(jar + 1).equals(T4jProcess.JAR.toString()), args.toString());
            assertEquals(List.of("bench", "train", "--preset", "small", "--steps", "1000", "--warmup", "1", "--threads",
                    "1", "--fork-child"), args.subList(jar + 2, args.size()));

            new ProcessBuilder("kill", "-INT", Long.toString(parent.pid())).start().waitFor();
            assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "the parent ended");
            assertEquals(130, parent.exitValue());
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the child was destroyed with its parent");
        } finally {
            if (child != null) {
                child.destroyForcibly(); // when the test fails, not a process left behind
            }
            parent.destroyForcibly();
        }
    }

    /** The parent's child JVM, once it runs as one (before its exec it still shows the parent's command line). */
    private static ProcessHandle awaitChild(Process parent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && parent.isAlive()) {
            Optional<ProcessHandle> child = parent.children()
                    .filter(c -> c.info().arguments().map(a -> List.of(a).contains("--fork-child")).orElse(false))
                    .findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no child process started (parent alive: " + parent.isAlive() + ")");
    }
}
