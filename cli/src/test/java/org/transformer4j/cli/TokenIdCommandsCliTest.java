package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ConfigJson;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.BundledCorpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The commands that speak token ids, for comparing with another implementation of the model:
 * {@code translate --ids}, {@code bench decode --save-ids} and {@code bench train --save-batches}.
 */
class TokenIdCommandsCliTest {

    @TempDir
    static Path dir;
    static Path model;
    static Vocabularies vocab;

    static final List<String> ES = List.of("la luz y la tierra", "y dijo Dios: sea la luz", "el agua y el cielo");
    static final List<String> EN = List.of("the light and the earth", "God said, let there be light", "the water and the sky");

    @BeforeAll
    static void trainATinyModel() throws IOException {
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            s.add(ES.get(i % 3));
            t.add(EN.get(i % 3));
        }
        model = dir.resolve("model");
        CliRun train = CliRun.of("train", "--src", write("train.es", s).toString(), "--tgt", write("train.en", t).toString(),
                "--model", model.toString(), "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "64", "--warmup",
                "10", "--threads", "1", "--max-steps", "3");
        assertEquals(0, train.exitCode(), train.err());
        vocab = Vocabularies.read(model);
    }

    static Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void translateIdsGivesTheIdsOfTheTextTranslation() throws IOException {
        List<String> lines = new ArrayList<>(ES.stream().map(l -> ids(vocab.source().encode(l))).toList());
        lines.add(1, ""); // an empty line stays empty
        Path in = write("in.ids", lines);
        String[] search = {"--beam", "2", "--max-len-a", "0", "--max-len-b", "5", "--threads", "1"};
        CliRun text = CliRun.of(concat(new String[] {"translate", "--model", model.toString(), "--input",
                write("in.es", ES).toString()}, search));
        CliRun ids = CliRun.of(concat(new String[] {"translate", "--ids", "--model", model.toString(), "--input",
                in.toString()}, search));
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(0, ids.exitCode(), ids.err());
        List<String> texts = text.out().lines().toList();
        List<String> outputs = ids.out().lines().toList();
        assertEquals(4, outputs.size(), ids.out());
        assertEquals("", outputs.get(1));
        List<String> decoded = new ArrayList<>();
        for (String line : List.of(outputs.get(0), outputs.get(2), outputs.get(3))) {
            int[] tokens = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            for (int t : tokens) {
                assertTrue(t != 1 && t != 2, "no <bos>/<eos> in the output: " + line);
            }
            decoded.add(vocab.target().decode(tokens));
        }
        assertEquals(texts, decoded);

        CliRun nbest = CliRun.of("translate", "--ids", "--model", model.toString(), "--input", in.toString(), "--beam", "2",
                "--nbest", "2", "--max-len-a", "0", "--max-len-b", "5", "--threads", "1");
        assertEquals(0, nbest.exitCode(), nbest.err());
        String[] rows = nbest.out().strip().split("\n");
        assertEquals(7, rows.length, nbest.out()); // 3 lines × 2, and one row for the empty line
        assertEquals(outputs.get(0), rows[0].split("\t", -1)[3]);
    }

    @Test
    void scoreReproducesTheScoresTranslateReportsUnderTheOptionsAgainstLoops() throws IOException {
        List<String> lines = ES.stream().map(l -> ids(vocab.source().encode(l))).toList();
        Path in = write("loops.ids", lines);
        String[] options = {"--length-penalty", "0.6", "--no-repeat-ngram", "2", "--repetition-penalty", "1.3",
                "--coverage-penalty", "0.2"};
        CliRun nbest = CliRun.of(concat(new String[] {"translate", "--ids", "--model", model.toString(), "--input",
                in.toString(), "--beam", "3", "--nbest", "3", "--max-len-a", "0", "--max-len-b", "6", "--threads", "1"},
                options));
        assertEquals(0, nbest.exitCode(), nbest.err());
        String[] rows = nbest.out().strip().split("\n");
        assertEquals(9, rows.length, nbest.out());
        int scored = 0;
        for (String row : rows) {
            String[] f = row.split("\t", -1);
            if (f[3].isEmpty()) {
                continue; // an empty output has no --tgt-ids to give
            }
            int[] tokens = Arrays.stream(f[3].split(" ")).mapToInt(Integer::parseInt).toArray();
            for (int i = 0; i + 1 < tokens.length; i++) {
                for (int j = i + 1; j + 1 < tokens.length; j++) {
                    assertTrue(tokens[i] != tokens[j] || tokens[i + 1] != tokens[j + 1], "a repeated bigram in " + f[3]);
                }
            }
            CliRun score = CliRun.of(concat(new String[] {"score", "--model", model.toString(), "--src-ids",
                    lines.get(Integer.parseInt(f[0])).replace(' ', ','), "--tgt-ids", f[3].replace(' ', ',')}, options));
            assertEquals(0, score.exitCode(), score.err());
            JsonNode json = new ObjectMapper().readTree(score.out());
            assertEquals(Double.parseDouble(f[2]), json.get("score").asDouble(), 1e-4, row);
            assertTrue(json.get("coverage_penalty").asDouble() <= 0, score.out());
            scored++;
        }
        assertTrue(scored > 0, nbest.out());
    }

    @Test
    void translateIdsRejectsWhatIsNotATokenIdInOneLine() throws IOException {
        CliRun word = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("word.ids", List.of("5 6", "5 x 7")).toString());
        assertEquals(1, word.exitCode());
        assertTrue(word.errorLine().contains("word.ids line 2: 'x' is not a token id"), word.err());

        CliRun outside = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("big.ids", List.of("5 300000")).toString());
        assertEquals(1, outside.exitCode());
        assertTrue(outside.errorLine().contains("line 1: token id 300000 is outside the source vocabulary of"),
                outside.err());

        CliRun ref = CliRun.of("translate", "--ids", "--model", model.toString(), "--input",
                write("ok.ids", List.of("5 6")).toString(), "--ref", write("ref.en", List.of("x")).toString());
        assertEquals(2, ref.exitCode());
        assertTrue(ref.errorLine().contains("--ref cannot be used with --ids"), ref.err());
    }

    @Test
    void benchDecodeSavesTheSourceIdsAndTheOutputsTranslateIdsGivesAndCanSkipTheRecomputingRows() throws IOException {
        Path saved = dir.resolve("decoded.json");
        CliRun bench = CliRun.of("bench", "decode", "--model", model.toString(), "--sentences", "3", "--beam", "2",
                "--threads", "1", "--save-ids", saved.toString());
        assertEquals(0, bench.exitCode(), bench.err());
        JsonNode json = new ObjectMapper().readTree(saved.toFile());
        List<String> dev = BundledCorpus.dev().source().subList(0, 3);
        List<String> sourceLines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(vocab.source().encode(dev.get(i)), ids(json.get("sources").get(i)));
            sourceLines.add(ids(ids(json.get("sources").get(i))));
        }
        Path in = write("dev.ids", sourceLines);
        assertEquals(4, json.get("runs").size());
        for (JsonNode run : json.get("runs")) {
            assertTrue(run.get("seconds").asDouble() > 0, run.toString());
            CliRun translate = CliRun.of("translate", "--ids", "--model", model.toString(), "--input", in.toString(),
                    "--beam", run.get("beam").asText(), "--length-penalty", run.get("length_penalty").asText(),
                    "--max-len-a", run.get("max_len_a").asText(), "--max-len-b", run.get("max_len_b").asText(),
                    "--threads", "1");
            assertEquals(0, translate.exitCode(), translate.err());
            List<String> expected = new ArrayList<>();
            long tokens = 0;
            for (JsonNode output : run.get("outputs")) {
                expected.add(ids(ids(output)));
                tokens += output.size() + 1;
            }
            assertEquals(expected, translate.out().lines().toList(), run.get("name").asText());
            assertEquals(tokens, run.get("output_tokens").asLong());
        }

        Path cached = dir.resolve("cached.json");
        CliRun cacheOnly = CliRun.of("bench", "decode", "--model", model.toString(), "--sentences", "3", "--beam", "2",
                "--threads", "1", "--cache-only", "--save-ids", cached.toString());
        assertEquals(0, cacheOnly.exitCode(), cacheOnly.err());
        assertTrue(!cacheOnly.out().contains("no cache"), cacheOnly.out());
        JsonNode runs = new ObjectMapper().readTree(cached.toFile()).get("runs");
        assertEquals(2, runs.size());
        for (int i = 0; i < 2; i++) {
            assertTrue(runs.get(i).get("cache").asBoolean());
            assertEquals(json.get("runs").get(2 * i).get("outputs"), runs.get(i).get("outputs"));
        }
    }

    @Test
    void benchTrainSavesItsBatchesAsInt32Safetensors() throws IOException {
        Path saved = dir.resolve("batches.safetensors");
        CliRun bench = CliRun.of("bench", "train", "--preset", "tiny", "--vocab", "40", "--batch-tokens", "200", "--steps",
                "1", "--warmup", "1", "--threads", "1", "--save-batches", saved.toString());
        assertEquals(0, bench.exitCode(), bench.err());
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, int[]> tensors = readInt32Safetensors(saved, shapes);
        JsonNode meta = metadata(saved);
        assertEquals("2", meta.get("batches").asText());
        assertEquals("1", meta.get("warmup").asText());
        assertEquals("tiny", meta.get("preset").asText());
        TransformerConfig config = ConfigJson.read(meta.get("config").asText(), "metadata").config();
        assertEquals(40, config.srcVocabSize());
        assertEquals(TransformerConfig.TieEmbeddings.ALL, config.tieEmbeddings());
        assertEquals(8, tensors.size());
        for (int b = 0; b < 2; b++) {
            String p = "batch." + b + ".";
            int[] source = tensors.get(p + "source");
            int[] lengths = tensors.get(p + "source_lengths");
            int[] input = tensors.get(p + "target_input");
            int[] labels = tensors.get(p + "labels");
            int sentences = shapes.get(p + "source")[0];
            int sourceLength = shapes.get(p + "source")[1];
            int targetLength = shapes.get(p + "target_input")[1];
            assertArrayEquals(new int[] {sentences}, shapes.get(p + "source_lengths"));
            assertArrayEquals(shapes.get(p + "target_input"), shapes.get(p + "labels"));
            int targetTokens = 0;
            for (int s = 0; s < sentences; s++) {
                for (int j = 0; j < sourceLength; j++) {
                    int id = source[s * sourceLength + j];
                    assertTrue(j < lengths[s] ? id >= 4 && id < 40 : id == config.padId(), "source " + s + "," + j);
                }
                assertEquals(config.bosId(), input[s * targetLength]);
                for (int j = 0; j < targetLength; j++) {
                    int label = labels[s * targetLength + j];
                    if (label == config.padId()) {
                        continue;
                    }
                    targetTokens++;
                    // the label at j is the decoder input at j + 1, and the last one is <eos>
                    int next = j + 1 < targetLength ? input[s * targetLength + j + 1] : config.padId();
                    assertEquals(next == config.padId() ? config.eosId() : next, label, "label " + s + "," + j);
                }
            }
            assertTrue(targetTokens >= 200, "target tokens of batch " + b + ": " + targetTokens);
        }

        CliRun intoADirectory = CliRun.of("bench", "train", "--preset", "tiny", "--vocab", "40", "--batch-tokens", "64",
                "--steps", "1", "--warmup", "0", "--threads", "1", "--save-batches", dir.toString());
        assertEquals(1, intoADirectory.exitCode());
        assertTrue(intoADirectory.errorLine().startsWith("t4j: cannot write " + dir), intoADirectory.err());
    }

    private static JsonNode header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    }

    private static JsonNode metadata(Path file) throws IOException {
        return header(file).get("__metadata__");
    }

    /** Every tensor of a safetensors file of I32 tensors; their shapes go to {@code shapes}. */
    private static Map<String, int[]> readInt32Safetensors(Path file, Map<String, int[]> shapes) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the data starts 8-byte aligned");
        JsonNode header = header(file);
        Map<String, int[]> out = new LinkedHashMap<>();
        long expectedBegin = 0;
        for (var it = header.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            assertEquals("I32", e.getValue().get("dtype").asText());
            int[] shape = ids(e.getValue().get("shape"));
            long begin = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            assertEquals(expectedBegin, begin, e.getKey());
            assertEquals(Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b) * 4, end - begin, e.getKey());
            expectedBegin = end;
            int[] values = new int[(int) ((end - begin) / 4)];
            ByteBuffer.wrap(bytes, (int) (8 + n + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer()
                    .get(values);
            out.put(e.getKey(), values);
            shapes.put(e.getKey(), shape);
        }
        assertEquals(bytes.length, 8 + n + expectedBegin, "the file ends with the last tensor");
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
