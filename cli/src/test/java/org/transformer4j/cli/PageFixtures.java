package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A tiny model trained for a few steps with validations and checkpoints, and the data inside a page. */
public final class PageFixtures {

    public static final List<String> ES = List.of("la luz y la tierra", "y dijo Dios: sea la luz", "el agua y el cielo");
    public static final List<String> EN = List.of("the light and the earth", "God said, let there be light",
            "the water and the sky");
    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"t4j-data\">(.*?)</script>", Pattern.DOTALL);

    private PageFixtures() {
    }

    /** Trains {@code dir/name} for {@code steps} updates, validating and checkpointing every 2. */
    public static Path trainTinyModel(Path dir, String name, int steps) throws IOException {
        Files.createDirectories(dir);
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            s.add(ES.get(i % 3));
            t.add(EN.get(i % 3));
        }
        Path src = write(dir.resolve("train.es"), s);
        Path tgt = write(dir.resolve("train.en"), t);
        Path model = dir.resolve(name);
        CliRun train = CliRun.of("train", "--src", src.toString(), "--tgt", tgt.toString(), "--valid-src", src.toString(),
                "--valid-tgt", tgt.toString(), "--model", model.toString(), "--preset", "tiny", "--vocab-size", "300",
                "--batch-tokens", "64", "--warmup", "10", "--threads", "1", "--max-steps", Integer.toString(steps),
                "--valid-every", "2", "--checkpoint-every", "2", "--bleu-every", "2", "--log-every", "1");
        assertEquals(0, train.exitCode(), train.err());
        return model;
    }

    static Path write(Path p, List<String> lines) throws IOException {
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    /** The JSON a page carries, as its script reads it. */
    public static JsonNode pageData(Path page) throws IOException {
        Matcher m = DATA.matcher(Files.readString(page, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError(page + " carries no data");
        }
        return new ObjectMapper().readTree(m.group(1).replace("<\\/", "</"));
    }
}
