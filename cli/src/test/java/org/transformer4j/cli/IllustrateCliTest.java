package org.transformer4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.model.io.ModelStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code t4j illustrate}: the JSON holds the model's own numbers (those of {@code Translator.attention}, the paper's
 * position formula, {@code t4j score}, {@code t4j translate --nbest}); the page is self-contained; single figures;
 * bad input.
 */
class IllustrateCliTest {

    static final String SENTENCE = "y dijo Dios: sea la luz";
    static final String[] SEARCH = {"--beam", "3", "--max-len-a", "0", "--max-len-b", "5"};

    @TempDir
    static Path dir;
    static Path model;
    static JsonNode json;
    static Backend backend;

    @BeforeAll
    static void illustrate() throws IOException {
        model = PageFixtures.trainTinyModel(dir, "model", 4);
        CliRun run = CliRun.of(concat(new String[] {"illustrate", "--model", model.toString(), "--src", SENTENCE, "--format",
                "json", "--threads", "1", "--top-k", "4"}, SEARCH));
        assertEquals(0, run.exitCode(), run.err());
        json = new ObjectMapper().readTree(run.out());
        backend = Backends.open("cpu", BackendOptions.threads(1));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void attentionRowsAreDistributionsWithoutTheFutureAndEqualTranslatorAttention() {
        String translation = json.get("translation").asText();
        int[] tokens = ints(json.get("nbest").get(0).get("tokens"));
        try (Translator t = new Translators(new ModelStore(backend)).open(model)) {
            // The text API when the translation tokenises back to the same subwords, else the ids it came from.
            AttentionWeights w = Arrays.equals(t.vocabularies().target().encode(translation), tokens)
                    ? t.attention(SENTENCE, translation) : t.attention(t.vocabularies().source().encode(SENTENCE), tokens);
            assertEquals(w.sourceTokens().size(), json.get("source_tokens").size());
            compare(w.encoderSelf(), json.get("attention").get("encoder_self"), false);
            compare(w.decoderSelf(), json.get("attention").get("decoder_self"), true);
            compare(w.encoderDecoder(), json.get("attention").get("encoder_decoder"), false);
        }
    }

    private static void compare(float[][][][] expected, JsonNode actual, boolean causal) {
        assertEquals(expected.length, actual.size(), "layers");
        for (int l = 0; l < expected.length; l++) {
            assertEquals(expected[l].length, actual.get(l).size(), "heads");
            for (int h = 0; h < expected[l].length; h++) {
                for (int q = 0; q < expected[l][h].length; q++) {
                    JsonNode row = actual.get(l).get(h).get(q);
                    double sum = 0;
                    for (int k = 0; k < expected[l][h][q].length; k++) {
                        float v = row.get(k).floatValue();
                        assertEquals(expected[l][h][q][k], v, 1e-7f, "layer " + l + " head " + h + " [" + q + "][" + k + "]");
                        if (causal && k > q) {
                            assertEquals(0f, v, "a future position");
                        }
                        sum += v;
                    }
                    assertEquals(1, sum, 1e-5);
                }
            }
        }
    }

    @Test
    void positionEncodingsAreThePapersFormula() {
        JsonNode pe = json.get("encoder_input").get("positions");
        int d = json.get("config").get("d_model").asInt();
        assertEquals(json.get("source_tokens").size(), pe.size());
        for (int pos = 0; pos < pe.size(); pos++) {
            assertEquals(d, pe.get(pos).size());
            for (int i = 0; i < d / 2; i++) {
                double angle = pos / Math.pow(10000, 2.0 * i / d);
                assertEquals(Math.sin(angle), pe.get(pos).get(2 * i).asDouble(), 1e-6);
                assertEquals(Math.cos(angle), pe.get(pos).get(2 * i + 1).asDouble(), 1e-6);
            }
        }
    }

    @Test
    void theChosenTokensProbabilitiesAreThoseOfScore() throws IOException {
        int[] src = ints(json.get("source_ids"));
        int[] tokens = ints(json.get("nbest").get(0).get("tokens"));
        CliRun score = CliRun.of("score", "--model", model.toString(), "--src-ids", join(src), "--tgt-ids", join(tokens),
                "--threads", "1");
        assertEquals(0, score.exitCode(), score.err());
        JsonNode scored = new ObjectMapper().readTree(score.out());
        JsonNode steps = json.get("steps");
        assertEquals(scored.get("tokens").size(), steps.size());
        for (int t = 0; t < steps.size(); t++) {
            JsonNode step = steps.get(t);
            assertEquals(scored.get("tokens").get(t).asInt(), step.get("chosen").get("id").asInt());
            double p = Math.exp(scored.get("logprobs").get(t).asDouble());
            assertEquals(p, step.get("chosen").get("probability").asDouble(), 1e-5, "step " + t);
            assertEquals(4, step.get("top").size());
            for (JsonNode top : step.get("top")) {
                if (top.get("id").asInt() == step.get("chosen").get("id").asInt()) {
                    assertEquals(p, top.get("probability").asDouble(), 1e-5);
                }
                assertTrue(top.get("probability").asDouble() <= step.get("top").get(0).get("probability").asDouble());
            }
        }
    }

    private static String join(int[] ids) {
        return String.join(",", Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }

    @Test
    void theTreesFinishedHypothesesAreTranslateNbest() throws IOException {
        Path input = PageFixtures.write(dir.resolve("one.es"), List.of(SENTENCE));
        CliRun translate = CliRun.of(concat(new String[] {"translate", "--model", model.toString(), "--input",
                input.toString(), "--nbest", "3", "--threads", "1"}, SEARCH));
        assertEquals(0, translate.exitCode(), translate.err());
        String[] rows = translate.out().strip().split("\n");
        List<JsonNode> finished = new ArrayList<>();
        for (JsonNode n : json.get("beam").get("nodes")) {
            if (n.get("kind").asText().equals("finished") && n.get("nbest_rank").asInt() > 0) {
                finished.add(n);
            }
        }
        finished.sort((a, b) -> Integer.compare(a.get("nbest_rank").asInt(), b.get("nbest_rank").asInt()));
        assertEquals(rows.length, finished.size(), translate.out());
        for (int i = 0; i < rows.length; i++) {
            String[] cols = rows[i].split("\t", -1);
            JsonNode node = finished.get(i);
            assertEquals(cols[2], String.format(Locale.ROOT, "%.4f", node.get("score").asDouble()), "rank " + (i + 1));
            assertEquals(cols[3], json.get("nbest").get(i).get("text").asText());
            // the node's path from the root spells that hypothesis
            List<Integer> path = new ArrayList<>();
            JsonNode nodes = json.get("beam").get("nodes");
            for (int id = node.get("parent").asInt(); id > 0; id = nodes.get(id).get("parent").asInt()) {
                path.addFirst(nodes.get(id).get("token").asInt());
            }
            assertArrayEquals(ints(json.get("nbest").get(i).get("tokens")), path.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void thePageIsSelfContainedAndCarriesTheData() throws IOException {
        Path page = dir.resolve("page.html");
        CliRun run = CliRun.of(concat(new String[] {"illustrate", "--model", model.toString(), "--src", SENTENCE, "--out",
                page.toString(), "--threads", "1"}, SEARCH));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(page.toString(), run.out().strip());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertFalse(html.contains("<script src"), "no script from elsewhere");
        assertFalse(html.contains("<link"), "no style sheet from elsewhere");
        assertTrue(html.contains("echarts"), "ECharts inline");
        assertTrue(html.contains(model.toString()), "the page names the model");
        assertTrue(html.contains("beam search, beam 3"), "the page states the decoding");
        JsonNode data = PageFixtures.pageData(page);
        assertEquals(json.get("source_tokens"), data.get("source_tokens"));
        assertEquals(json.get("translation"), data.get("translation"));
        assertEquals(json.get("attention").get("encoder_self").get(0).get(0).get(0).get(0).floatValue(),
                data.get("attention").get("encoder_self").get(0).get(0).get(0).get(0).floatValue(), 1e-4);
    }

    @Test
    void singleFiguresAsSvgAndPng() throws IOException {
        Path svg = dir.resolve("cross.svg");
        CliRun run = CliRun.of(concat(new String[] {"illustrate", "--model", model.toString(), "--src", SENTENCE, "--format",
                "svg", "--figure", "attention", "--part", "cross", "--layer", "2", "--head", "3", "--out", svg.toString(),
                "--threads", "1"}, SEARCH));
        assertEquals(0, run.exitCode(), run.err());
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg"), text.substring(0, Math.min(200, text.length())));
        assertTrue(text.contains("Encoder-decoder attention, layer 2, head 3"));
        for (String figure : List.of("positions", "softmax", "beam")) {
            Path png = dir.resolve(figure + ".png");
            CliRun p = CliRun.of(concat(new String[] {"illustrate", "--model", model.toString(), "--src", SENTENCE,
                    "--format", "png", "--figure", figure, "--out", png.toString(), "--threads", "1"}, SEARCH));
            assertEquals(0, p.exitCode(), p.err());
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, figure);
            int colours = (int) java.util.stream.IntStream.range(0, 400)
                    .map(i -> image.getRGB(i * 7 % image.getWidth(), i * 13 % image.getHeight())).distinct().count();
            assertTrue(colours > 2, figure + " is drawn (" + colours + " colours sampled)");
        }
    }

    @Test
    void badInputGetsOneLineAndANonZeroExit() {
        CliRun missing = CliRun.of("illustrate", "--model", dir.resolve("nope").toString(), "--src", SENTENCE);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.errorLine().contains("not found"), missing.err());
        CliRun empty = CliRun.of("illustrate", "--model", model.toString(), "--src", "  ", "--threads", "1");
        assertEquals(1, empty.exitCode());
        assertTrue(empty.errorLine().contains("the sentence is empty"), empty.err());
        CliRun tooLong = CliRun.of("illustrate", "--model", model.toString(), "--src", SENTENCE, "--max-source-len", "2",
                "--threads", "1");
        assertEquals(1, tooLong.exitCode());
        assertTrue(tooLong.errorLine().contains("more than the limit of 2"), tooLong.err());
        CliRun noFigure = CliRun.of("illustrate", "--model", model.toString(), "--src", SENTENCE, "--format", "png");
        assertEquals(2, noFigure.exitCode());
        assertTrue(noFigure.errorLine().contains("--figure"), noFigure.err());
        CliRun badLayer = CliRun.of("illustrate", "--model", model.toString(), "--src", SENTENCE, "--format", "svg",
                "--figure", "attention", "--layer", "9", "--threads", "1", "--out", dir.resolve("x.svg").toString());
        assertEquals(2, badLayer.exitCode());
        assertTrue(badLayer.errorLine().contains("--layer must be between 1 and 2"), badLayer.err());
    }
}
