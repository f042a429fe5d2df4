package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vocab}, {@code train} and {@code average} as a user runs them, good input and bad. */
class TrainingCommandsCliTest {

    @TempDir
    Path dir;

    private Path src;
    private Path tgt;

    private static final String[] ES = {"la luz y la tierra", "la tierra estaba desordenada", "y dijo Dios: sea la luz",
            "y fué la luz", "y vió Dios que la luz era buena", "el agua y el cielo"};
    private static final String[] EN = {"the light and the earth", "the earth was formless", "God said, let there be light",
            "and there was light", "God saw the light, that it was good", "the water and the sky"};

    @BeforeEach
    void corpus() throws IOException {
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            s.add(ES[i % ES.length]);
            t.add(EN[i % EN.length]);
        }
        src = write("train.es", s);
        tgt = write("train.en", t);
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private String[] train(Path model, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--src", src.toString(), "--tgt", tgt.toString(),
                "--model", model.toString(), "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64",
                "--warmup", "10", "--threads", "1"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainCreatesAModelDirectoryAndAResumedRunContinuesIt() throws IOException {
        Path model = dir.resolve("model");
        CliRun first = CliRun.of(train(model, "--max-steps", "3", "--checkpoint-every", "2"));
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("learning a joint byte-pair vocabulary of 300 tokens"), first.out());
        assertTrue(first.out().contains("stopped: reached --max-steps after 3 steps"), first.out());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "metrics.jsonl",
                "checkpoints/step-00000002/state.json", "checkpoints/step-00000003/optimizer.safetensors")) {
            assertTrue(Files.exists(model.resolve(f)), f);
        }
        CliRun second = CliRun.of(train(model, "--max-steps", "5"));
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("vocabulary: " + model.resolve("tokenizer.json")), second.out());
        assertTrue(second.out().contains("resuming from " + model.resolve("checkpoints/step-00000003") + " (step 3"),
                second.out());
        assertTrue(second.out().contains("after 5 steps"), second.out());
        assertEquals(5, Files.readAllLines(model.resolve("metrics.jsonl")).size());
    }

    @Test
    void emptyLinesAndTooLongPairsAreSkippedAndCounted() throws IOException {
        Files.write(src, List.of("la luz", "", "el cielo y la tierra y el agua y la luz y todo lo que hay", "el agua"));
        Files.write(tgt, List.of("the light", "the void", "the sky and the earth and the water", "the water"));
        CliRun run = CliRun.of(train(dir.resolve("m"), "--max-steps", "1", "--max-len", "12"));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("4 pairs read, 2 kept, 1 with an empty side and 1 longer than 12 tokens skipped"),
                run.out());
    }

    @Test
    void badInputFilesFailWithOneLineAndExitCodeOne() throws IOException {
        Path model = dir.resolve("m");
        CliRun missing = CliRun.of("train", "--src", dir.resolve("nope.es").toString(), "--tgt", tgt.toString(),
                "--model", model.toString(), "--max-steps", "1");
        assertEquals(1, missing.exitCode());
        assertEquals("t4j: " + dir.resolve("nope.es") + " not found", missing.errorLine());

        Path shorter = write("short.en", List.of("one line"));
        CliRun mismatch = CliRun.of("train", "--src", src.toString(), "--tgt", shorter.toString(), "--model",
                model.toString(), "--max-steps", "1");
        assertEquals(1, mismatch.exitCode());
        assertEquals("t4j: " + src + " has 20 lines but " + shorter + " has 1: the files must be aligned line by line",
                mismatch.errorLine());

        Path empty = dir.resolve("empty.es");
        Files.write(empty, new byte[0]);
        CliRun emptyRun = CliRun.of("train", "--src", empty.toString(), "--tgt", tgt.toString(), "--model",
                model.toString(), "--max-steps", "1");
        assertEquals(1, emptyRun.exitCode());
        assertEquals("t4j: " + empty + " is empty", emptyRun.errorLine());

        Path latin1 = dir.resolve("latin1.es");
        Files.write(latin1, "la luz\nel ni\u00f1o\n".getBytes(StandardCharsets.ISO_8859_1));
        Path two = write("two.en", List.of("the light", "the child"));
        CliRun invalid = CliRun.of("train", "--src", latin1.toString(), "--tgt", two.toString(), "--model",
                model.toString(), "--max-steps", "1");
        assertEquals(1, invalid.exitCode());
        assertEquals("t4j: " + latin1 + " line 2: invalid UTF-8 (the file must be UTF-8 text)", invalid.errorLine());
    }

    @Test
    void optionsThatCannotWorkAreUsageErrors() {
        CliRun noLimit = CliRun.of(train(dir.resolve("m")));
        assertEquals(2, noLimit.exitCode());
        assertEquals("t4j: invalid training options: give a limit: --max-steps, --max-time or --epochs", noLimit.errorLine());
        CliRun badTime = CliRun.of(train(dir.resolve("m"), "--max-time", "soon"));
        assertEquals(2, badTime.exitCode());
        assertTrue(badTime.err().contains("'soon' is not a duration"), badTime.err());
        CliRun badSchedule = CliRun.of(train(dir.resolve("m"), "--max-steps", "1", "--schedule", "step"));
        assertEquals(2, badSchedule.exitCode());
        assertEquals("t4j: unknown learning-rate schedule 'step': noam, linear or cosine", badSchedule.errorLine());
        CliRun badEma = CliRun.of(train(dir.resolve("m"), "--max-steps", "1", "--ema", "1"));
        assertEquals(2, badEma.exitCode());
        assertEquals("t4j: invalid training options: the weight-averaging decay must be 0 (off) or in (0, 1)",
                badEma.errorLine());
        CliRun halfValid = CliRun.of(train(dir.resolve("m"), "--max-steps", "1", "--valid-src", src.toString()));
        assertEquals(1, halfValid.exitCode());
        assertEquals("t4j: give both --valid-src and --valid-tgt, or neither", halfValid.errorLine());
    }

    @Test
    void nameSwapReportsTheNamesItFoundAndRefusesAShareOutsideZeroToOne() throws IOException {
        Files.write(src, List.of("y dijo David á Joab", "Joab fué á Hebrón", "y David reinó", "la luz"));
        Files.write(tgt, List.of("David said to Joab", "Joab went to Hebron", "David reigned", "the light"));
        CliRun run = CliRun.of(train(dir.resolve("m"), "--max-steps", "2", "--name-swap", "0.5"));
        assertEquals(0, run.exitCode(), run.err());
        // David and Joab carried over, Hebrón translated as Hebron; made-up names from David, Joab, Hebrón and Hebron
        assertTrue(run.out().contains("name swap: 3 pairs have one of 3 names on both sides, carried over or translated;"
                + " each epoch 50% of them get a made-up name instead, spliced from 4 names"), run.out());
        CliRun bad = CliRun.of(train(dir.resolve("m2"), "--max-steps", "1", "--name-swap", "1.5"));
        assertEquals(2, bad.exitCode());
        assertEquals("t4j: --name-swap must be between 0 and 1, got 1.5", bad.errorLine());
    }

    @Test
    void aBudgetScheduleAndAWeightAverageTrainAndCheckpoint() throws IOException {
        Path model = dir.resolve("m");
        CliRun run = CliRun.of(train(model, "--max-steps", "12", "--schedule", "cosine", "--lr", "2e-3", "--ema", "0.99"));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.exists(model.resolve("checkpoints/step-00000012/ema/model.safetensors")), "the average is checkpointed");
        List<String> rates = Files.readAllLines(model.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"train\"")).map(l -> l.replaceAll(".*\"lr\":([^,]*),.*", "$1")).toList();
        // Warm-up to 2e-3 over 10 updates (ending at 9/12 of the budget), then the cosine from the peak: a third and
        // two thirds of the way down at updates 11 and 12.
        assertEquals(12, rates.size());
        assertEquals(2e-4, Double.parseDouble(rates.get(0)), 1e-12);
        assertEquals(2e-3, Double.parseDouble(rates.get(9)), 1e-12);
        assertEquals(2e-3 * 0.75, Double.parseDouble(rates.get(10)), 1e-12);
        assertEquals(2e-3 * 0.25, Double.parseDouble(rates.get(11)), 1e-12);
    }

    @Test
    void aCorruptCheckpointStopsTheResumeWithItsName() throws IOException {
        Path model = dir.resolve("m");
        assertEquals(0, CliRun.of(train(model, "--max-steps", "2")).exitCode());
        Path optimizer = model.resolve("checkpoints/step-00000002/optimizer.safetensors");
        byte[] bytes = Files.readAllBytes(optimizer);
        Files.write(optimizer, Arrays.copyOf(bytes, bytes.length / 3));
        CliRun resumed = CliRun.of(train(model, "--max-steps", "4"));
        assertEquals(1, resumed.exitCode());
        assertTrue(resumed.errorLine().startsWith("t4j: " + optimizer) && resumed.errorLine().contains("truncated"),
                resumed.err());
    }

    @Test
    void helpDocumentsEveryOptionWithItsDefault() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.exitCode());
        for (String expected : List.of("--batch-tokens=N", "(default: 4096)", "--warmup=STEPS", "(default: 4000)",
                "--label-smoothing=EPS", "(default: 0.1)", "--adam-beta2=B", "(default: 0.98)", "--adam-eps=E",
                "(default: 1e-9)", "--max-time=TIME", "--patience=N", "--accumulate=K", "--clip-norm=N",
                "--keep-checkpoints=K", "--preset=NAME", "(default: base)", "--separate-vocab", "130")) {
            assertTrue(help.out().contains(expected), "missing " + expected + " in\n" + help.out());
        }
    }

    @Test
    void vocabWritesATokenizerAndNeverOverwritesOneUnasked() throws IOException {
        Path out = dir.resolve("vocab");
        CliRun run = CliRun.of("vocab", "--src", src.toString(), "--tgt", tgt.toString(), "--size", "300", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.readString(out.resolve("tokenizer.json")).replace(" ", "").contains("\"type\":\"BPE\""));
        CliRun again = CliRun.of("vocab", "--src", src.toString(), "--tgt", tgt.toString(), "--size", "300", "--out", out.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.errorLine().contains("already holds a vocabulary"), again.err());
        CliRun separate = CliRun.of("vocab", "--src", src.toString(), "--tgt", tgt.toString(), "--size", "300",
                "--separate", "--out", dir.resolve("sep").toString());
        assertEquals(0, separate.exitCode(), separate.err());
        assertTrue(Files.exists(dir.resolve("sep/tokenizer.src.json")) && Files.exists(dir.resolve("sep/tokenizer.tgt.json")));
    }

    @Test
    void averageWritesTheMeanOfTheLastCheckpoints() {
        Path model = dir.resolve("m");
        assertEquals(0, CliRun.of(train(model, "--max-steps", "4", "--checkpoint-every", "1")).exitCode());
        Path avg = dir.resolve("avg");
        CliRun run = CliRun.of("average", "--model", model.toString(), "--last", "3", "--out", avg.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("averaged 3 checkpoints (steps 2, 3, 4)"), run.out());
        assertTrue(Files.exists(avg.resolve("model.safetensors")) && Files.exists(avg.resolve("tokenizer.json")));
        CliRun score = CliRun.of("score", "--model", avg.toString(), "--src-ids", "5,6", "--tgt-ids", "7");
        assertEquals(0, score.exitCode(), score.err());
        CliRun onto = CliRun.of("average", "--model", model.toString(), "--out", model.toString());
        assertEquals(2, onto.exitCode());
    }
}
