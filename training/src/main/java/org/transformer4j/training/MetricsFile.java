package org.transformer4j.training;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.transformer4j.training.TrainingCurves.TrainPoint;
import org.transformer4j.training.TrainingCurves.ValidPoint;
import org.transformer4j.training.data.DataException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what {@link MetricsLog} wrote, as it stands: a run still training may have written half of its last line,
 * which is left out with a warning, never an error; so is a line that is not a metrics record (a run killed in the
 * middle of a line, then continued). A file with no training step is an error. A run continued from a checkpoint older than its last logged step logs those steps again; the later values
 * replace the earlier ones.
 */
public final class MetricsFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d{8,})");

    private MetricsFile() {
    }

    /** The curves of the model directory {@code dir}. */
    public static TrainingCurves read(Path dir) {
        Path file = dir.resolve(MetricsLog.FILE);
        if (!Files.isDirectory(dir)) {
            throw new DataException("model directory " + dir + " not found");
        }
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new DataException(dir + " has no " + MetricsLog.FILE + ": it is written by t4j train");
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String[] lines = text.split("\n", -1); // the last element is what follows the last newline ("" when complete)
        List<TrainPoint> train = new ArrayList<>();
        List<ValidPoint> valid = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double offset = 0; // the clocks of the runs before this one
        double lastElapsed = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean last = i == lines.length - 1; // no newline after it: possibly half written
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JacksonException e) {
                n = null;
            }
            if (n == null || !n.isObject() || !n.has("type") || !n.has("step")) {
                if (last) {
                    warnings.add("line " + (i + 1) + " is incomplete (a run still writing?): read up to it");
                } else { // a run killed in the middle of a line, then continued: the rest is still good
                    warnings.add("line " + (i + 1) + " is not a metrics record: skipped");
                }
                continue;
            }
            long step = n.get("step").asLong();
            switch (n.get("type").asText()) {
                case "train" -> {
                    double elapsed = n.path("elapsed_s").asDouble(Double.NaN);
                    if (elapsed < lastElapsed) { // a continued run: its clock started again at 0
                        offset += lastElapsed;
                    }
                    lastElapsed = elapsed;
                    train.removeIf(p -> p.step() >= step); // a resumed run redoes these steps
                    valid.removeIf(p -> p.step() >= step);
                    train.add(new TrainPoint(step, n.path("epoch").asInt(), number(n, "loss"), number(n, "ppl"),
                            number(n, "accuracy"), number(n, "lr"), number(n, "grad_norm"), n.path("tokens").asLong(),
                            number(n, "tokens_per_s"), offset + elapsed));
                }
                case "valid" -> {
                    double elapsed = train.isEmpty() || train.getLast().step() != step ? Double.NaN
                            : train.getLast().elapsedSeconds();
                    valid.add(new ValidPoint(step, number(n, "loss"), number(n, "ppl"), number(n, "accuracy"),
                            number(n, "bleu"), n.path("best").asBoolean(false), elapsed));
                }
                default -> {
                    // a record type of a later version: not plotted
                }
            }
        }
        if (train.isEmpty()) {
            throw new DataException(file + " has no training step yet" + (warnings.isEmpty() ? "" : " (" + String.join("; ",
                    warnings) + ")"));
        }
        long bestStep = -1;
        for (ValidPoint v : valid) {
            if (v.best()) {
                bestStep = v.step();
            }
        }
        return new TrainingCurves(dir, train, valid, checkpoints(dir), bestStep,
                warnings.isEmpty() ? null : file + ": " + String.join("; ", warnings));
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static List<Long> checkpoints(Path dir) {
        Path checkpoints = dir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.map(p -> CHECKPOINT.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + checkpoints + ": " + e.getMessage(), e);
        }
    }
}
