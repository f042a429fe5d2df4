package org.transformer4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The committed PTX (a resource of the jar, so that nobody needs a CUDA toolkit) is the compiled kernel source:
 * it has an entry for every kernel of {@code src/main/cuda/t4j_kernels.cu}, and where an nvcc of the release that
 * wrote it is installed, compiling the source again gives the same bytes. After changing the source, run
 * {@code src/main/cuda/build-ptx.sh}.
 */
class PtxMatchesSourceTest {

    static final String PTX = "/org/transformer4j/backend/cuda/t4j_kernels.ptx";
    private static final Path SOURCE = Path.of("src/main/cuda/t4j_kernels.cu");

    @Test
    void thePtxHasAnEntryForEveryKernelOfTheSource() throws IOException {
        Set<String> kernels = names(Files.readString(SOURCE), "extern \"C\" __global__ void (\\w+)\\(");
        Set<String> entries = names(ptx(), "\\.entry (\\w+)\\(");
        assertTrue(kernels.size() >= 20, "kernels found in the source: " + kernels);
        assertEquals(kernels, entries, "rerun src/main/cuda/build-ptx.sh");
    }

    @Test
    void nvccOfTheSameReleaseWritesTheSamePtx() throws Exception {
        String committed = ptx();
        Matcher release = Pattern.compile("Cuda compilation tools, release ([\\d.]+)").matcher(committed);
        assertTrue(release.find(), "the PTX does not say which nvcc wrote it");
        String installed = nvccRelease();
        assumeTrue(installed != null, "nvcc not found: the PTX is not recompiled");
        assumeTrue(installed.equals(release.group(1)), "nvcc " + installed + " is installed, the PTX was written by "
                + release.group(1) + ": not compared");
        Path out = Files.createDirectories(Path.of("target", "ptx-check")).resolve("t4j_kernels.ptx");
        Process p = new ProcessBuilder("nvcc", "-ptx", "-arch=compute_80", "-o", out.toString(), SOURCE.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "nvcc failed:\n" + log);
        assertEquals(Files.readString(out), committed, "the committed PTX is stale: run src/main/cuda/build-ptx.sh");
    }

    static String ptx() throws IOException {
        try (InputStream in = PtxMatchesSourceTest.class.getResourceAsStream(PTX)) {
            assertNotNull(in, "no PTX resource " + PTX);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> names(String text, String regex) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String nvccRelease() {
        try {
            Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return null;
            }
            Matcher m = Pattern.compile("release ([\\d.]+)").matcher(out);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
