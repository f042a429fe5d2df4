package org.transformer4j.it.pages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven through the DevTools protocol over the JDK's own WebSocket client: no driver binary and
 * no browser library to keep in step with the browser. One browser, one tab; it records every console error,
 * uncaught exception and failed load of the page.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final String session;

    /** The browser binary: Debian's {@code chromium}, or another name on the PATH; empty when there is none. */
    static Optional<Path> binary() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    Chromium(Path binary, int width, int height) throws Exception {
        profile = Files.createTempDirectory("t4j-chromium");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IOException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        List<String> port = Files.readAllLines(portFile);
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port.get(0) + port.get(1)), new Listener())
                .get(30, TimeUnit.SECONDS);
        String target = call(null, "Target.createTarget", params("url", "about:blank")).get("targetId").asText();
        ObjectNode attach = params("targetId", target);
        attach.put("flatten", true);
        session = call(null, "Target.attachToTarget", attach).get("sessionId").asText();
        call("Page.enable", params());
        call("Runtime.enable", params());
        call("Log.enable", params());
        ObjectNode metrics = params();
        metrics.put("width", width);
        metrics.put("height", height);
        metrics.put("deviceScaleFactor", 1);
        metrics.put("mobile", false);
        call("Emulation.setDeviceMetricsOverride", metrics);
    }

    static ObjectNode params(String... keyValues) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            n.put(keyValues[i], keyValues[i + 1]);
        }
        return n;
    }

    /** A command to the tab. */
    JsonNode call(String method, ObjectNode params) {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode r = reply.get(60, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + ": " + r.get("error"));
            }
            return r.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        }
    }

    /** Opens a file and waits until its script marks the page drawn ({@code body[data-rendered=yes]}). */
    void open(Path file) throws InterruptedException {
        call("Page.navigate", params("url", file.toUri().toString()));
        Instant deadline = Instant.now().plusSeconds(60);
        while (!"yes".equals(evaluate("document.body ? document.body.getAttribute('data-rendered') : null").asText(null))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(file + " was not drawn within 60 s; problems: " + problems);
            }
            Thread.sleep(100);
        }
    }

    /** The value of a JavaScript expression (JSON-serialisable). */
    JsonNode evaluate(String expression) {
        ObjectNode p = params("expression", expression);
        p.put("returnByValue", true);
        p.put("awaitPromise", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.get("result").path("value");
    }

    /** A real mouse click in the middle of the first element that {@code selector} matches, scrolled into view. */
    void click(String selector) {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        if (box.isNull() || box.isMissingNode()) {
            throw new IllegalStateException("nothing matches " + selector);
        }
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            ObjectNode p = params("type", type, "button", "left");
            p.put("x", box.get("x").asDouble());
            p.put("y", box.get("y").asDouble());
            p.put("clickCount", 1);
            call("Input.dispatchMouseEvent", p);
        }
    }

    /** A PNG of the element {@code selector} (the whole page for "html"). */
    void screenshot(String selector, Path out) throws IOException, InterruptedException {
        Thread.sleep(400); // let the charts' animation frames settle
        JsonNode r = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector) + ");"
                + " const r = e.getBoundingClientRect();"
                + " return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: Math.max(r.width, e.scrollWidth),"
                + " h: Math.max(r.height, e.scrollHeight)}; })()");
        ObjectNode clip = JSON.createObjectNode();
        clip.put("x", r.get("x").asDouble());
        clip.put("y", r.get("y").asDouble());
        clip.put("width", Math.ceil(r.get("w").asDouble()));
        clip.put("height", Math.ceil(r.get("h").asDouble()));
        clip.put("scale", 1);
        ObjectNode p = params("format", "png");
        p.set("clip", clip);
        p.put("captureBeyondViewport", true);
        byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").asText());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, png);
    }

    /** Console errors, uncaught exceptions and failed loads seen so far. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    private void event(JsonNode m) {
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails").path("exception")
                    .path("description").asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) {
                    problems.add("console." + p.path("type").asText() + ": " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    problems.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        event(m);
                    }
                } catch (IOException e) {
                    problems.add("unreadable DevTools message: " + e.getMessage());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        // The browser's own helper processes (renderer, GPU, network) write into the profile until they exit too.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle helper : helpers) {
                try {
                    helper.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    helper.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(profile);
    }

    /** Removes the temporary profile as far as it can: a file that vanished meanwhile is no failure. */
    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temporary directory; the next walk or the system's cleaning takes the rest
        }
    }
}
