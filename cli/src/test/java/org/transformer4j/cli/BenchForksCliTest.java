package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench train --forks} and {@code bench decode --forks}, in-process as a user would run it: the children are real JVMs, started from
 * this test JVM's class path. Only the consistency of the figures is checked, never their size.
 */
class BenchForksCliTest {

    private static final String[] TINY = {"bench", "train", "--preset", "tiny", "--steps", "1", "--warmup", "1",
            "--batch-tokens", "256", "--threads", "1"};

    @Test
    void theSpreadIsOverExactlyTheChildrensOwnFigures() {
        CliRun run = CliRun.of(concat(TINY, "--forks", "2", "--show-fork-output"));
        assertEquals(0, run.exitCode(), run.err());
        // What each child printed itself (shown by --show-fork-output), not what the parent made of it.
        List<Double> speeds = numbers(run.out(), "\\[fork \\d of 2\\] ([\\d,]+) target tokens/s");
        List<Double> heaps = numbers(run.out(), "\\[fork \\d of 2\\] Java heap allocated per step: ([\\d.]+) MiB");
        assertEquals(2, speeds.size(), run.out());
        assertEquals(2, heaps.size(), run.out());
        assertEquals(2, numbers(run.out(), "(?m)^fork (\\d) of 2: ").size(), run.out());

        assertSpreadOf(speeds, row(run.out(), "target tokens/s"), run.out());
        assertSpreadOf(heaps, row(run.out(), "Java heap MiB allocated per step"), run.out());
        assertTrue(run.out().contains("over 2 processes"), run.out());
    }

    @Test
    void aFailingChildFailsTheRunWithOneLineNamingIt() {
        CliRun run = CliRun.of(concat(TINY, "-B", "nope=1", "--forks", "2"));
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.errorLine().startsWith("t4j: fork 1 of 2 failed (exit code 1): ") && run.errorLine().contains("nope"),
                run.errorLine());
        assertTrue(!run.out().contains("fork 2 of 2"), "no second child after a failed one:\n" + run.out());
    }

    @Test
    void decodingSpreadsAreOverTheChildrensOwnRows(@TempDir Path dir) throws IOException {
        Path src = Files.write(dir.resolve("train.es"), List.of("la luz y la tierra", "y dijo Dios: sea la luz"));
        Path tgt = Files.write(dir.resolve("train.en"), List.of("the light and the earth", "God said, let there be light"));
        Path model = dir.resolve("model");
        CliRun train = CliRun.of("train", "--src", src.toString(), "--tgt", tgt.toString(), "--model", model.toString(),
                "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64", "--threads", "1", "--max-steps", "1");
        assertEquals(0, train.exitCode(), train.err());

        CliRun run = CliRun.of("bench", "decode", "--model", model.toString(), "--sentences", "2", "--beam", "2",
                "--threads", "1", "--forks", "2", "--show-fork-output");
        assertEquals(0, run.exitCode(), run.err());
        for (String row : List.of("greedy, cache", "beam 2, no cache")) {
            List<Double> children = numbers(run.out(), "\\[fork \\d of 2\\] " + row + "\\s+([\\d.]+)");
            assertEquals(2, children.size(), run.out());
            assertSpreadOf(children, row(run.out(), row + ": sentences/s"), run.out());
        }
        assertTrue(run.out().contains("heap MiB/sentence"), run.out());
    }

    /** min ≤ median ≤ max, each one of the children's figures, min and max the extreme ones. */
    private static void assertSpreadOf(List<Double> children, double[] spread, String out) {
        assertTrue(spread[0] <= spread[1] && spread[1] <= spread[2], out);
        for (double v : spread) {
            assertTrue(children.contains(v), v + " is no child's figure " + children + ":\n" + out);
        }
        assertEquals(children.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), spread[0], out);
        assertEquals(children.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), spread[2], out);
    }

    /** min, median and max of the table row that starts with {@code figure}. */
    private static double[] row(String out, String figure) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(figure) + "\\s+([\\d.,]+)\\s+([\\d.,]+)\\s+([\\d.,]+)\\s").matcher(out);
        assertTrue(m.find(), "no row " + figure + " in\n" + out);
        return new double[] {number(m.group(1)), number(m.group(2)), number(m.group(3))};
    }

    private static List<Double> numbers(String out, String regex) {
        List<Double> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(out);
        while (m.find()) {
            found.add(number(m.group(1)));
        }
        return found;
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
