package org.transformer4j.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code t4j train}, for real: the built command-line jar runs in its own process, gets SIGINT
 * after a few steps, writes a checkpoint of the step it stopped at and exits with 130.
 */
class CtrlCCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void interruptingTrainingWritesACheckpointAndExitsWith130() throws Exception {
        assumeTrue(Files.exists(T4jProcess.JAR), "needs the command-line jar (not built with -Dshade.skip=true): "
                + T4jProcess.JAR);
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")),
                "needs kill(1) to send SIGINT");
        List<String> es = new ArrayList<>();
        List<String> en = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            es.add("la luz y la tierra número " + i);
            en.add("the light and the earth number " + i);
        }
        Path src = Files.write(dir.resolve("train.es"), es);
        Path tgt = Files.write(dir.resolve("train.en"), en);
        Path model = dir.resolve("model");
        Process p = T4jProcess.builder("train", "--src", src.toString(), "--tgt",
                tgt.toString(), "--model", model.toString(), "--preset", "tiny", "--vocab-size", "300", "--batch-tokens",
                "64", "--max-steps", "100000", "--log-every", "1", "--threads", "1")
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (!sent && line.startsWith("step 3 ")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    sent = true;
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
        String all = String.join("\n", output);
        assertEquals(130, p.exitValue(), all);
        assertTrue(all.contains("stopping after this step and writing a checkpoint"), all);
        assertTrue(all.contains("stopped: interrupted; a checkpoint was written after "), all);
        try (var checkpoints = Files.list(model.resolve("checkpoints"))) {
            List<Path> dirs = checkpoints.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), dirs.toString());
            String state = Files.readString(dirs.getFirst().resolve("state.json"));
            String step = dirs.getFirst().getFileName().toString().replaceFirst("step-0*", "");
            assertTrue(state.contains("\"step\" : " + step), state);
            assertTrue(Integer.parseInt(step) >= 3, step);
        }
    }
}
