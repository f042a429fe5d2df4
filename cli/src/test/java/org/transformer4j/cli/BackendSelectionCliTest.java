package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backends;

/**
 * Which backend a command gets: --backend, then T4J_BACKEND, then the config file, then cpu; unknown names
 * fail with one line listing the known ones, whatever the command.
 */
class BackendSelectionCliTest {

    @TempDir
    Path dir;

    @Test
    void backendsListsEveryProviderWithItsStatusAndDevice() {
        CliRun run = CliRun.of("backends");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("cpu    available  (default)"), run.out());
        assertTrue(run.out().matches("(?s).*cuda   unavailable: \\S.*"), run.out());
        assertTrue(run.out().contains("nd4j   available"), run.out());
        assertTrue(run.out().contains("device: "), run.out());
    }

    @Test
    void anUnknownBackendFailsWithOneLineListingTheKnownOnes() {
        for (String[] args : new String[][] {{"--backend", "nope", "backends"}, {"backends", "--backend", "nope"},
                {"bench", "ops", "--backend=nope"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode());
            assertEquals("t4j: unknown backend 'nope'; known backends: cpu, cuda, nd4j", run.errorLine());
        }
    }

    @Test
    void theEnvironmentVariableIsUsedWhenNoFlagIsGiven() {
        CliRun run = CliRun.of(Map.of("T4J_BACKEND", "nope"), "backends");
        assertEquals(2, run.exitCode());
        assertEquals("t4j: unknown backend 'nope' (from T4J_BACKEND); known backends: cpu, cuda, nd4j", run.errorLine());
    }

    @Test
    void theFlagWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
        Path config = write("backend: nd4j\n");
        CliRun fromConfig = CliRun.of("backends", "--config", config.toString());
        assertTrue(fromConfig.out().contains("nd4j   available  (selected by the config file)"), fromConfig.out());

        CliRun fromEnv = CliRun.of(Map.of("T4J_BACKEND", "cuda"), "backends", "--config", config.toString());
        assertTrue(fromEnv.out().matches("(?s).*cuda   unavailable: .*\\(selected by T4J_BACKEND\\).*"), fromEnv.out());

        CliRun fromFlag = CliRun.of(Map.of("T4J_BACKEND", "cuda"), "backends", "--config", config.toString(),
                "--backend", "cpu");
        assertTrue(fromFlag.out().contains("cpu    available  (selected by --backend)"), fromFlag.out());
    }

    @Test
    void anUnknownBackendInTheConfigFileNamesItsSource() throws IOException {
        CliRun run = CliRun.of("backends", "--config=" + write("backend: tpu\n"));
        assertEquals(2, run.exitCode());
        assertEquals("t4j: unknown backend 'tpu' (from the config file); known backends: cpu, cuda, nd4j", run.errorLine());
    }

    @Test
    void anUnavailableBackendFailsWithItsReasonWhenACommandNeedsIt() {
        // cuda stands for a backend that is registered but cannot run here (no driver, no GPU, no cuBLAS)
        assumeFalse(Backends.provider("cuda").availability().available(), "cuda is available on this machine");
        CliRun run = CliRun.of("bench", "ops", "--backend", "cuda", "--scale", "64", "--samples", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.errorLine().matches("t4j: backend 'cuda' is not available: \\S.*"), run.errorLine());
    }

    private Path write(String yaml) throws IOException {
        Path p = dir.resolve("t4j.yaml");
        Files.writeString(p, yaml);
        return p;
    }
}
