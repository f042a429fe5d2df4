package org.transformer4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.training.data.DataException;

/** metrics.jsonl read as it stands: torn last lines, resumed runs, checkpoints, the best step. */
class MetricsFileTest {

    @TempDir
    Path dir;

    static String train(long step, double loss, double elapsed) {
        return "{\"type\":\"train\",\"step\":" + step + ",\"epoch\":1,\"loss\":" + loss + ",\"ppl\":" + Math.exp(loss)
                + ",\"accuracy\":0.1,\"lr\":1.0E-4,\"grad_norm\":0.5,\"tokens\":1000,\"tokens_per_s\":2000.0,\"elapsed_s\":"
                + elapsed + "}\n";
    }

    static String valid(long step, double loss, boolean best, Double bleu) {
        return "{\"type\":\"valid\",\"step\":" + step + ",\"loss\":" + loss + ",\"ppl\":" + Math.exp(loss)
                + ",\"accuracy\":0.2,\"tokens\":900,\"best\":" + best + (bleu == null ? "" : ",\"bleu\":" + bleu) + "}\n";
    }

    void write(String text) throws IOException {
        Files.writeString(dir.resolve(MetricsLog.FILE), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsStepsValidationsCheckpointsAndTheBestStep() throws IOException {
        write(train(1, 8.0, 1.5) + train(2, 7.5, 2.5) + valid(2, 7.9, true, 0.5) + train(3, 7.0, 3.5) + valid(3, 8.1, false, null));
        Files.createDirectories(dir.resolve("checkpoints/step-00000003"));
        Files.createDirectories(dir.resolve("checkpoints/step-00000002"));
        Files.createDirectories(dir.resolve("checkpoints/not-a-checkpoint"));
        TrainingCurves c = MetricsFile.read(dir);
        assertEquals(List.of(1L, 2L, 3L), c.train().stream().map(TrainingCurves.TrainPoint::step).toList());
        assertEquals(7.5, c.train().get(1).loss());
        assertEquals(2, c.valid().size());
        assertEquals(0.5, c.valid().getFirst().bleu());
        assertTrue(Double.isNaN(c.valid().get(1).bleu()), "no bleu logged");
        assertEquals(2.5, c.valid().getFirst().elapsedSeconds(), "a validation takes the time of its step");
        assertEquals(List.of(2L, 3L), c.checkpoints());
        assertEquals(2, c.bestStep());
        assertNull(c.warning());
    }

    @Test
    void aTornLastLineIsLeftOutWithAWarning() throws IOException {
        String torn = train(3, 7.0, 3.5);
        write(train(1, 8.0, 1.5) + train(2, 7.5, 2.5) + torn.substring(0, torn.length() / 2));
        TrainingCurves c = MetricsFile.read(dir);
        assertEquals(2, c.train().size());
        assertNotNull(c.warning());
        assertTrue(c.warning().contains("line 3 is incomplete"), c.warning());
    }

    @Test
    void aResumedRunAddsUpTheClockAndReplacesTheStepsItRedoes() throws IOException {
        write(train(1, 8.0, 10) + train(2, 7.5, 20) + train(3, 7.2, 30) + train(3, 7.1, 5) + train(4, 7.0, 15));
        TrainingCurves c = MetricsFile.read(dir);
        assertEquals(List.of(1L, 2L, 3L, 4L), c.train().stream().map(TrainingCurves.TrainPoint::step).toList());
        assertEquals(7.1, c.train().get(2).loss(), "the later run's value of step 3");
        assertEquals(35, c.train().get(2).elapsedSeconds(), 1e-9, "30 s of the first run + 5 s");
        assertEquals(45, c.train().get(3).elapsedSeconds(), 1e-9);
    }

    @Test
    void aMissingFileOrOneWithoutStepsIsAnError() throws IOException {
        DataException missing = assertThrows(DataException.class, () -> MetricsFile.read(dir));
        assertTrue(missing.getMessage().contains("has no metrics.jsonl"), missing.getMessage());
        assertThrows(DataException.class, () -> MetricsFile.read(dir.resolve("nope")));
        write("{\"type\":\"train\",\"st");
        DataException empty = assertThrows(DataException.class, () -> MetricsFile.read(dir));
        assertTrue(empty.getMessage().contains("no training step"), empty.getMessage());
    }
}
