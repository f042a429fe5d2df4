package org.transformer4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.spi.DropoutMask;

/**
 * Every one of our CUDA kernels, checked without a GPU: {@code src/test/cuda/kernel_check.cpp} compiles the kernel
 * source itself with g++ against a CPU emulator of the CUDA execution model (blocks of real threads, shared
 * arrays, barriers) and compares each kernel with a plain C++ reference. Also checks that the kernels' dropout
 * mask is {@link DropoutMask}'s, bit for bit. Skipped, with the reason, where g++ is missing.
 */
class KernelsOnCpuEmulatorTest {

    /** Every kernel of t4j_kernels.cu, as the check names it (some kernels have several checks). */
    private static final List<String> CHECKS = List.of("add", "mul", "scale", "axpy", "relu", "relu_backward", "fill",
            "copy", "dropout", "permute4", "concat", "gather", "scatter_add", "reduce_sum (mean)", "sum_squares",
            "argmax", "top_k", "softmax, padding mask", "softmax, causal mask with a fully masked row", "softmax, no mask",
            "softmax_backward", "log_softmax", "layer_norm", "layer_norm_backward dx", "layer_norm_backward dgamma",
            "layer_norm_backward dbeta", "cross_entropy loss", "cross_entropy grad", "cross_entropy grad in place",
            "cross_entropy loss without gradient", "adam");

    @Test
    void everyKernelMatchesItsReferenceOnTheEmulator() throws Exception {
        assumeTrue(runs("g++", "--version"), "g++ not found: the CUDA kernels are not checked on the CPU emulator");
        Path binary = Files.createDirectories(Path.of("target", "kernel-check")).resolve("kernel_check");
        Process compile = new ProcessBuilder("g++", "-std=c++20", "-O1", "-pthread", "-o", binary.toString(),
                "src/test/cuda/kernel_check.cpp").redirectErrorStream(true).start();
        String compilerOutput = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compile.waitFor(5, TimeUnit.MINUTES), "g++ did not finish");
        assertEquals(0, compile.exitValue(), "the kernels do not compile as C++ on the emulator:\n" + compilerOutput);

        Process run = new ProcessBuilder(binary.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "the kernel check did not finish");
        assertEquals(0, run.exitValue(), output);
        for (String check : CHECKS) {
            assertTrue(output.lines().anyMatch(l -> l.startsWith("ok " + check + " ")), "no passing check '" + check
                    + "' in:\n" + output);
        }

        Matcher m = Pattern.compile("(?m)^uniform (-?\\d+) (\\d+) (\\S+)$").matcher(output);
        int uniforms = 0;
        while (m.find()) {
            long seed = Long.parseLong(m.group(1));
            long index = Long.parseLong(m.group(2));
            assertEquals(DropoutMask.uniform(seed, index), Float.parseFloat(m.group(3)),
                    "the dropout mask's uniform at seed " + seed + ", index " + index);
            uniforms++;
        }
        assertEquals(16, uniforms, output);
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
