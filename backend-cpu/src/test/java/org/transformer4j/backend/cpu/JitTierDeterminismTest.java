package org.transformer4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;

/**
 * The kernels give the same bits whether the JIT has compiled them or not: a run repeated until the kernels
 * are hot (C2 and the Vector API intrinsics) matches a separate JVM that only interprets ({@code -Xint}, the
 * Vector API's Java fallback). Without this, training would not repeat exactly across runs, the first steps
 * of each JVM running on other bits than the later ones.
 */
class JitTierDeterminismTest {

    @Test
    void compiledAndInterpretedKernelsAgreeBitForBit() throws Exception {
        long hot;
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            long first = KernelFingerprint.compute(backend);
            for (int i = 0; i < 3000; i++) {
                KernelFingerprint.compute(backend);
            }
            hot = KernelFingerprint.compute(backend);
            assertEquals(first, hot, "the same process, before and after warm-up");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KernelFingerprint.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(Long.toString(hot), lines[lines.length - 1].strip(), "an interpreted JVM: " + out);
    }
}
