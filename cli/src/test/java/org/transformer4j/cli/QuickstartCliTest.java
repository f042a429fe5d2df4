package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code t4j quickstart} end to end, for a few seconds instead of minutes. */
class QuickstartCliTest {

    @TempDir
    Path dir;

    @Test
    void trainsForItsBudgetThenTranslatesAndSaysWhatMoreTimeWouldGive() throws Exception {
        Path model = dir.resolve("quickstart");
        CliRun run = CliRun.of("quickstart", "--minutes", "0.05", "--model", model.toString(), "--sentences", "2",
                "--threads", "2");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("recipe, as t4j train options: --preset small --norm pre --tie-embeddings all"), out);
        assertTrue(out.contains("--max-time 3s"), out);
        assertTrue(out.matches("(?s).*dev BLEU \\d+\\.\\d\\d, chrF2 \\d+\\.\\d\\d \\(the 214 dev verses.*"), out);
        assertTrue(out.contains("the first 2 of them:"), out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("  t4j: ")).count(), out);
        for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.json", "metrics.jsonl",
                "illustrate.html", "report.html"}) {
            assertTrue(Files.exists(model.resolve(file)), file);
        }
    }

    @Test
    void aBudgetThatIsNotPositiveIsAUsageError() {
        CliRun run = CliRun.of("quickstart", "--minutes", "0", "--model", dir.resolve("m").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("t4j: --minutes must be positive", run.errorLine());
    }
}
