package org.transformer4j.it.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.cli.T4j;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pages of {@code t4j illustrate} and {@code t4j report} in a real browser: headless Chromium opens them from disk
 * (no network), every figure is drawn, nothing goes to the console as an error, a click changes the view, and
 * screenshots go to {@code target/screenshots/}. Skipped, saying so, where Chromium is not installed ({@code .ci/run}
 * installs Debian's {@code chromium}).
 *
 * <p>The pages come from a tiny model trained here for a few steps; {@code -Dt4j.pages.model=DIR} (and
 * {@code -Dt4j.pages.src=SENTENCE}) draws a real model instead, for the screenshots of the documentation.
 */
class PagesInBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
    static final String SENTENCE = System.getProperty("t4j.pages.src", "y dijo Dios: sea la luz");

    @TempDir
    static Path dir;
    static Chromium browser;
    static Path model;
    static Path illustratePage;
    static Path reportPage;

    @BeforeAll
    static void pages() throws Exception {
        Path binary = Chromium.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "no chromium on the PATH: install Debian's chromium package (.ci/run does)"
                + " to test the pages in a browser");
        String given = System.getProperty("t4j.pages.model");
        model = given != null && !given.isBlank() ? Path.of(given) : trainTinyModel();
        illustratePage = dir.resolve("illustrate.html");
        reportPage = dir.resolve("report.html");
        t4j("illustrate", "--model", model.toString(), "--src", SENTENCE, "--beam", "4", "--out", illustratePage.toString());
        t4j("report", "--model", model.toString(), "--out", reportPage.toString());
        browser = new Chromium(binary, 1360, 900);
    }

    @AfterAll
    static void close() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    static void t4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--threads", "2"));
        int code = T4j.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        assertEquals(0, code, String.join(" ", args) + ": " + err);
    }

    static Path trainTinyModel() throws IOException {
        List<String> es = List.of("la luz y la tierra", "y dijo Dios: sea la luz", "el agua y el cielo", "y fue la luz");
        List<String> en = List.of("the light and the earth", "and God said: let there be light", "the water and the sky",
                "and there was light");
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            s.add(es.get(i % es.size()));
            t.add(en.get(i % en.size()));
        }
        Path src = Files.write(dir.resolve("train.es"), s, StandardCharsets.UTF_8);
        Path tgt = Files.write(dir.resolve("train.en"), t, StandardCharsets.UTF_8);
        Path m = dir.resolve("model");
        t4j("train", "--src", src.toString(), "--tgt", tgt.toString(), "--valid-src", src.toString(), "--valid-tgt",
                tgt.toString(), "--model", m.toString(), "--preset", "tiny", "--vocab-size", "300", "--batch-tokens", "128",
                "--warmup", "20", "--max-steps", "30", "--valid-every", "10", "--checkpoint-every", "10", "--bleu-every",
                "10", "--log-every", "1");
        return m;
    }

    @Test
    void illustrateDrawsEveryFigureAndAnswersClicks() throws Exception {
        browser.open(illustratePage);
        System.out.printf("illustrate page: %,d bytes, drawn %s ms after navigation started%n", Files.size(illustratePage),
                attribute("body", "data-render-ms"));
        JsonNode data = browser.evaluate("T4J.data");
        int sourceLength = data.get("source_tokens").size();
        int targetLength = data.get("decoder_input_tokens").size();
        int layers = data.get("config").get("encoder_layers").asInt();
        int heads = data.get("config").get("heads").asInt();

        // 1. subwords, the position encodings, the three vectors
        assertEquals(sourceLength, browser.evaluate("document.querySelectorAll('#src-chips .chip').length").asInt());
        assertTrue(colours("#fig-positions") > 10, "the position encodings are drawn");
        assertTrue(colours("#fig-vectors") > 10, "the vectors are drawn");
        // 2, 3. one small map per layer and head of each attention, a detail chart, the line figure
        for (String part : List.of("encoder_self", "decoder_self", "encoder_decoder")) {
            String root = ".part[data-part=" + part + "]";
            assertEquals(layers * heads, browser.evaluate("document.querySelectorAll('" + root + " table.grid canvas').length").asInt());
            int q = part.equals("encoder_self") ? sourceLength : targetLength;
            int k = part.equals("decoder_self") ? targetLength : sourceLength;
            assertEquals(q * k, browser.evaluate("echarts.getInstanceByDom(document.querySelector('" + root
                    + " .detail')).getOption().series[0].data.length").asInt(), part);
            assertTrue(browser.evaluate("document.querySelectorAll('" + root + " svg.lines line').length").asInt() > 0, part);
            assertTrue(colours(root + " table.grid canvas") > 2, part + " maps drawn");
        }
        // 4. the softmax
        assertEquals(targetLength, browser.evaluate("echarts.getInstanceByDom(document.getElementById('fig-chosen'))"
                + ".getOption().series[0].data.length").asInt());
        assertTrue(browser.evaluate("echarts.getInstanceByDom(document.getElementById('fig-softmax'))"
                + ".getOption().series[0].data.length").asInt() >= 1);
        // 5. the beam search
        assertEquals(data.get("beam").get("nodes").size(), browser.evaluate("echarts.getInstanceByDom(document"
                + ".getElementById('fig-beam')).getOption().series[0].data.length").asInt());
        assertEquals(data.get("nbest").size() + 1, browser.evaluate("document.querySelectorAll('#nbest tr').length").asInt());
        assertEquals(List.of(), browser.problems(), "console errors");
        assertEquals(0, browser.evaluate("window.t4jErrors.length").asInt());

        browser.screenshot("html", SCREENSHOTS.resolve("illustrate.png"));
        browser.screenshot("#inputs", SCREENSHOTS.resolve("illustrate-inputs.png"));
        browser.screenshot("#encoder", SCREENSHOTS.resolve("illustrate-encoder.png"));
        browser.screenshot("#decoder", SCREENSHOTS.resolve("illustrate-decoder.png"));
        browser.screenshot("#beam", SCREENSHOTS.resolve("illustrate-beam.png"));

        // Clicks change the view: a subword, a query position, a head's map, a step, an n-best row.
        String vectors = browser.evaluate("document.getElementById('fig-vectors').toDataURL()").asText();
        browser.click("#src-chips .chip[data-index='" + (sourceLength - 1) + "']");
        assertEquals(String.valueOf(sourceLength - 1), attribute("#fig-vectors", "data-token"));
        assertNotEquals(vectors, browser.evaluate("document.getElementById('fig-vectors').toDataURL()").asText());

        String encoder = ".part[data-part=encoder_self]";
        String lines = browser.evaluate("Array.from(document.querySelectorAll('" + encoder + " svg.lines line'))"
                + ".map(l => l.getAttribute('y2') + ':' + l.getAttribute('stroke-opacity')).join()").asText();
        browser.click(encoder + " svg.lines text.query[data-index='0']");
        assertEquals("0", attribute(encoder + " svg.lines", "data-query"));
        assertNotEquals(lines, browser.evaluate("Array.from(document.querySelectorAll('" + encoder + " svg.lines line'))"
                + ".map(l => l.getAttribute('y2') + ':' + l.getAttribute('stroke-opacity')).join()").asText());

        browser.click(encoder + " table.grid canvas[data-layer='" + (layers - 1) + "'][data-head='" + (heads - 1) + "']");
        assertEquals((layers - 1) + "," + (heads - 1), attribute(encoder + " .detail", "data-selected"));
        assertEquals(String.valueOf(heads - 1), attribute(encoder + " svg.lines", "data-heads"), "only that head's lines");
        assertTrue(browser.evaluate("echarts.getInstanceByDom(document.querySelector('" + encoder + " .detail'))"
                + ".getOption().title[0].text").asText().endsWith("layer " + layers + ", head " + heads));

        if (targetLength > 1) {
            browser.click("#step-chips .chip[data-index='1']");
            assertEquals("1", attribute("#fig-softmax", "data-step"));
            assertTrue(browser.evaluate("echarts.getInstanceByDom(document.getElementById('fig-softmax'))"
                    + ".getOption().title[0].text").asText().startsWith("step 2:"));
        }
        if (data.get("nbest").size() > 1) {
            String before = attribute("#fig-beam", "data-selected");
            browser.click("#nbest tr:nth-child(3)");
            assertNotEquals(before, attribute("#fig-beam", "data-selected"), "the second hypothesis's path");
        }
        assertEquals(List.of(), browser.problems(), "console errors after the clicks");
        browser.screenshot("#softmax", SCREENSHOTS.resolve("illustrate-softmax.png"));
    }

    @Test
    void reportDrawsEveryChartAndSwitchesItsAxis() throws Exception {
        browser.open(reportPage);
        int charts = browser.evaluate("document.querySelectorAll('#charts .chart').length").asInt();
        assertEquals(7, charts);
        JsonNode run = browser.evaluate("T4J.data.runs[0]");
        int steps = run.get("train").get("step").size();
        assertTrue(steps > 0);
        assertEquals(steps, browser.evaluate("echarts.getInstanceByDom(document.querySelector('[data-metric=loss]'))"
                + ".getOption().series[0].data.length").asInt());
        assertEquals(run.get("valid").get("loss").size(), browser.evaluate("echarts.getInstanceByDom(document"
                + ".querySelector('[data-metric=loss]')).getOption().series.find(s => s.name.endsWith('valid')).data.length").asInt());
        for (int i = 0; i < charts; i++) {
            assertTrue(browser.evaluate("!!echarts.getInstanceByDom(document.querySelectorAll('#charts .chart')[" + i + "])")
                    .asBoolean(), "chart " + i);
        }
        assertEquals(List.of(), browser.problems(), "console errors");
        browser.screenshot("html", SCREENSHOTS.resolve("report.png"));

        browser.click("#axis-time");
        assertEquals("time", attribute("[data-metric=loss]", "data-axis"));
        assertTrue(browser.evaluate("echarts.getInstanceByDom(document.querySelector('[data-metric=loss]'))"
                + ".getOption().xAxis[0].name").asText().startsWith("wall-clock"));
        assertEquals(List.of(), browser.problems(), "console errors after the click");
        browser.screenshot("html", SCREENSHOTS.resolve("report-time.png"));
    }

    private static String attribute(String selector, String name) {
        return browser.evaluate("document.querySelector(\"" + selector.replace("\"", "\\\"") + "\").getAttribute('" + name
                + "')").asText(null);
    }

    /** Distinct colours among the pixels of the canvases {@code selector} matches (a blank canvas has one). */
    private static int colours(String selector) {
        return browser.evaluate("(() => { const seen = new Set();"
                + " document.querySelectorAll(\"" + selector + "\").forEach(c => {"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " for (let i = 0; i < d.length; i += 4 * 7) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); });"
                + " return seen.size; })()").asInt();
    }
}
