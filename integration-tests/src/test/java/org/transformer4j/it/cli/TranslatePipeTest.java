package org.transformer4j.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code t4j translate} in a pipe, for real: the built jar runs in its own process, reads a line from its standard
 * input and answers it while the input is still open (each result is flushed), then translates what follows.
 */
class TranslatePipeTest {

    @TempDir
    Path dir;

    @Test
    void eachLineIsAnsweredBeforeTheNextOneIsWritten() throws Exception {
        assumeTrue(Files.exists(T4jProcess.JAR), "needs the command-line jar (not built with -Dshade.skip=true): "
                + T4jProcess.JAR);
        List<String> es = new ArrayList<>();
        List<String> en = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            es.add("la luz y la tierra " + i);
            en.add("the light and the earth " + i);
        }
        Path src = Files.write(dir.resolve("train.es"), es);
        Path tgt = Files.write(dir.resolve("train.en"), en);
        Path model = dir.resolve("model");
        assertEquals(0, t4j(true, "train", "--src", src.toString(), "--tgt", tgt.toString(), "--model", model.toString(),
                "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64", "--max-steps", "2", "--threads", "1")
                .waitFor());

        Process p = t4j(false, "translate", "--model", model.toString(), "--beam", "2", "--max-len-a", "0", "--max-len-b", "4",
                "--threads", "1");
        try (OutputStream in = p.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line : List.of("la luz", "la tierra", "y la luz")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                // Blocks until the answer comes: it would hang (and time out) if translate waited for the end of input.
                assertNotNull(out.readLine(), "an answer to \"" + line + "\"");
            }
            in.close(); // end of input, while the output is still read
            assertEquals(null, out.readLine(), "one output line per input line");
        }
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** @param quiet discard the output (so that a full pipe cannot stall the process) */
    private static Process t4j(boolean quiet, String... args) throws Exception {
        ProcessBuilder builder = T4jProcess.builder(args);
        if (quiet) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return builder.start();
    }
}
