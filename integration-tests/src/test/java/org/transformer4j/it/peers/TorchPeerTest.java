package org.transformer4j.it.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.cli.T4j;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.Positional;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.Trainer;
import org.transformer4j.training.TrainingJob;
import org.transformer4j.training.TrainingListener;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.training.data.Example;
import org.transformer4j.training.data.Examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Our model against an independent one: the PyTorch peer ({@code integration-tests/peers/torch}, written from the
 * paper and our model's definition with torch.nn's Linear, LayerNorm and Embedding and its own attention) loads
 * our model directory and must give
 * <ul>
 * <li>every token's log-probability within {@value #LOGPROB_TOLERANCE} of {@code t4j score}, the peer scoring all
 * pairs in one padded batch while {@code t4j score} scores each alone;</li>
 * <li>the output ids of {@code t4j translate --ids --beam 1} (greedy) and {@code --beam 4}, from its own greedy
 * search and beam search over its own key/value-cached incremental decoder. Ties aside: a greedy output may
 * differ only where the two best log-probabilities at the first differing step are within
 * {@value #TIE_TOLERANCE}, an n-best entry of beam search only where both hypotheses score within
 * {@value #LOGPROB_TOLERANCE}; each tolerated case is printed.</li>
 * </ul>
 * The models are trained for a few hundred updates on reversing sequences, so that their outputs are confident
 * (random weights make near-ties likely), in three variants: post-norm with three matrices, pre-norm with the
 * target embedding as generator and tensor2tensor's position layout, pre-norm with one shared matrix; their
 * weights stored as F32, F16 and BF16 respectively (both sides read the same file).
 *
 * <p>Skipped, with the reason, where {@code /usr/bin/python3} or its PyTorch is missing ({@code .ci/run} installs
 * Debian's {@code python3-torch}).
 */
class TorchPeerTest {

    static final double LOGPROB_TOLERANCE = 1e-4;
    static final double TIE_TOLERANCE = 1e-5;

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path PEER = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("peers/torch/peer.py");

    static final int FIRST_SYMBOL = 4;
    static final int SYMBOLS = 16;
    static final int MAX_LENGTH = 10;
    static final int TRAINING_STEPS = 400;

    /** The model configurations compared, each with the dtype its weights are stored in. */
    enum Variant {
        POST_NORM_UNTIED(Norm.POST, TieEmbeddings.NONE, Positional.SINUSOIDAL, 1e-5f, "F32"),
        PRE_NORM_TIED_DECODER(Norm.PRE, TieEmbeddings.DECODER, Positional.SINUSOIDAL_CONCAT, 1e-6f, "F16"),
        PRE_NORM_TIED_ALL(Norm.PRE, TieEmbeddings.ALL, Positional.SINUSOIDAL, 1e-5f, "BF16");

        final TransformerConfig config;
        final String dtype;

        Variant(Norm norm, TieEmbeddings tie, Positional positional, float eps, String dtype) {
            int vocab = FIRST_SYMBOL + SYMBOLS;
            // Untied, the target vocabulary may differ from the source one: give it ids the data never uses.
            this.config = TransformerConfig.builder("tiny").srcVocabSize(vocab)
                    .tgtVocabSize(tie == TieEmbeddings.ALL ? vocab : vocab + 5).norm(norm).tieEmbeddings(tie)
                    .positional(positional).layerNormEps(eps).build();
            this.dtype = dtype;
        }
    }

    /** Whether the peer can run here, found once. */
    private record Probe(boolean available, String reason) {
    }

    private static Probe probe;
    private static final Map<Variant, Path> MODELS = new EnumMap<>(Variant.class);

    @TempDir
    static Path dir;

    @BeforeEach
    void needsPyTorch() {
        assumeTrue(probe().available(), () -> "the PyTorch peer cannot run here: " + probe().reason());
    }

    private static synchronized Probe probe() {
        if (probe == null) {
            if (!Files.isExecutable(PYTHON)) {
                probe = new Probe(false, PYTHON + " is missing (apt-get install python3-torch libopenblas0-pthread)");
            } else {
                Run r = run(List.of(PYTHON.toString(), "-c", "import torch; print(torch.__version__)"));
                probe = r.exitCode() == 0 ? new Probe(true, "")
                        : new Probe(false, "PyTorch is not importable by " + PYTHON
                                + " (apt-get install python3-torch libopenblas0-pthread): " + lastLine(r.err()));
            }
        }
        return probe;
    }

    // ------------------------------------------------------------------------------------------------ the checks

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyTokenLogProbabilityAgreesWithT4jScore(Variant variant) throws IOException {
        Path model = model(variant);
        List<int[]> sources = sequences(12, 77);
        sources.add(new int[] {FIRST_SYMBOL + 3}); // one token
        List<int[]> targets = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < sources.size(); i++) {
            // the right answer, the right answer with one mistake, or a random one (low probabilities)
            int[] target = reversed(sources.get(i));
            if (i % 3 == 1) {
                target[r.nextInt(target.length)] = FIRST_SYMBOL + r.nextInt(SYMBOLS);
            } else if (i % 3 == 2) {
                target = r.ints(r.nextInt(1, MAX_LENGTH + 3), FIRST_SYMBOL, FIRST_SYMBOL + SYMBOLS).toArray();
            }
            targets.add(target);
        }
        ObjectMapper json = new ObjectMapper();
        var pairs = json.createArrayNode();
        for (int i = 0; i < sources.size(); i++) {
            var pair = pairs.addObject();
            Arrays.stream(sources.get(i)).forEach(pair.putArray("src")::add);
            Arrays.stream(targets.get(i)).forEach(pair.putArray("tgt")::add);
        }
        Path pairFile = Files.writeString(dir.resolve(variant + "-pairs.json"), pairs.toString());
        // all pairs in one padded batch on the peer's side
        List<JsonNode> peer = peer("score", "--model", model.toString(), "--pairs", pairFile.toString(),
                "--length-penalty", "0.6").lines().map(line -> readJson(json, line)).toList();
        assertEquals(sources.size(), peer.size());

        double worst = 0;
        for (int i = 0; i < sources.size(); i++) {
            // each pair alone on ours
            JsonNode ours = readJson(json, t4j("score", "--model", model.toString(), "--src-ids", csv(sources.get(i)),
                    "--tgt-ids", csv(targets.get(i)), "--length-penalty", "0.6",
                    "--threads", "1"));
            JsonNode theirs = peer.get(i);
            assertEquals(ours.get("tokens").toString(), theirs.get("tokens").toString().replace(" ", ""));
            JsonNode a = ours.get("logprobs");
            JsonNode b = theirs.get("logprobs");
            assertEquals(a.size(), b.size());
            for (int t = 0; t < a.size(); t++) {
                double diff = Math.abs(a.get(t).asDouble() - b.get(t).asDouble());
                worst = Math.max(worst, diff);
                assertTrue(diff <= LOGPROB_TOLERANCE, variant + ", pair " + i + ", token " + t + ": t4j "
                        + a.get(t).asDouble() + ", PyTorch " + b.get(t).asDouble());
                assertTrue(a.get(t).asDouble() < 0, "a log-probability below 0");
            }
            double tokens = a.size();
            assertEquals(ours.get("sum").asDouble(), theirs.get("sum").asDouble(), LOGPROB_TOLERANCE * tokens, "sum");
            assertEquals(ours.get("score").asDouble(), theirs.get("score").asDouble(), LOGPROB_TOLERANCE * tokens, "score");
        }
        System.out.printf("%s: %d pairs, every token's log-probability within %.1e of t4j score%n", variant,
                sources.size(), worst);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void greedyOutputsAreThoseOfT4jTranslate(Variant variant) throws IOException {
        Path model = model(variant);
        List<int[]> sources = sequences(40, 123);
        sources.add(new int[] {FIRST_SYMBOL + 1});
        sources.add(new SplittableRandom(9).ints(MAX_LENGTH + 4, FIRST_SYMBOL, FIRST_SYMBOL + SYMBOLS).toArray());
        Path input = Files.write(dir.resolve(variant + "-greedy.ids"), sources.stream().map(TorchPeerTest::spaced).toList());
        // batches of 16: the sentences leave the batch as they finish, on both sides
        List<String> ours = t4j("translate", "--ids", "--model", model.toString(), "--input", input.toString(), "--beam",
                "1", "--batch-size", "16", "--threads", "1").lines().toList();
        List<String> theirs = peer("translate", "--model", model.toString(), "--input", input.toString(), "--beam", "1",
                "--batch-size", "16").lines().toList();
        assertEquals(sources.size(), ours.size());
        assertEquals(sources.size(), theirs.size());

        int exact = 0;
        int reversedRight = 0;
        int firstRight = 0;
        for (int i = 0; i < sources.size(); i++) {
            int[] source = sources.get(i);
            reversedRight += ours.get(i).equals(spaced(reversed(source))) ? 1 : 0;
            int[] output = ids(ours.get(i));
            firstRight += output.length > 0 && output[0] == source[source.length - 1] ? 1 : 0;
            if (ours.get(i).equals(theirs.get(i))) {
                exact++;
                continue;
            }
            int[] a = ids(ours.get(i));
            int[] b = ids(theirs.get(i));
            int j = Arrays.mismatch(a, b);
            double[] top2 = topTwo(model, sources.get(i), Arrays.copyOf(a, j), j);
            String where = variant + ", sentence " + i + " " + spaced(sources.get(i)) + ": t4j '" + ours.get(i)
                    + "', PyTorch '" + theirs.get(i) + "', first difference at output position " + j
                    + ", the two best log-probabilities there " + top2[0] + " and " + top2[1];
            if (top2[0] - top2[1] > TIE_TOLERANCE) {
                fail(where);
            }
            System.out.println("tolerated as a tie: " + where);
        }
        System.out.printf("%s: greedy, %d of %d outputs identical (the model reverses %d exactly, starts %d with the"
                + " last source symbol)%n", variant, exact, sources.size(), reversedRight, firstRight);
        // Confident outputs, not the one repeated token of an untrained model: the model learned to start from the end.
        assertTrue(firstRight >= sources.size() / 2, "the trained model started only " + firstRight + " outputs right");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void beamSearchOutputsAreThoseOfT4jTranslate(Variant variant) throws IOException {
        Path model = model(variant);
        List<int[]> sources = sequences(24, 321);
        Path input = Files.write(dir.resolve(variant + "-beam.ids"), sources.stream().map(TorchPeerTest::spaced).toList());
        String[] search = {"--beam", "4", "--nbest", "2", "--length-penalty", "0.6", "--batch-size", "8"};
        List<String> ours = t4j(concat(new String[] {"translate", "--ids", "--model", model.toString(), "--input",
                input.toString(), "--threads", "1"}, search)).lines().toList();
        List<String> theirs = peer(concat(new String[] {"translate", "--model", model.toString(), "--input",
                input.toString()}, search)).lines().toList();
        assertEquals(2 * sources.size(), ours.size());
        assertEquals(ours.size(), theirs.size());
        int exact = 0;
        for (int i = 0; i < ours.size(); i++) {
            String[] a = ours.get(i).split("\t", -1);
            String[] b = theirs.get(i).split("\t", -1);
            assertEquals(a[0] + "\t" + a[1], b[0] + "\t" + b[1], "index and rank");
            double scoreA = Double.parseDouble(a[2]);
            double scoreB = Double.parseDouble(b[2]);
            if (a[3].equals(b[3])) {
                exact++;
                assertEquals(scoreA, scoreB, 2e-4, "the score of " + ours.get(i)); // printed with 4 decimals
                continue;
            }
            // Both hypotheses scored by the peer: a tie if they score the same within the log-probabilities' tolerance.
            int[] source = sources.get(Integer.parseInt(a[0]));
            double[] scores = scores(model, source, List.of(ids(a[3]), ids(b[3])), 0.6);
            String where = variant + ", sentence " + a[0] + ", rank " + a[1] + ": t4j '" + a[3] + "' (score " + scores[0]
                    + "), PyTorch '" + b[3] + "' (score " + scores[1] + ")";
            if (Math.abs(scores[0] - scores[1]) > LOGPROB_TOLERANCE) {
                fail(where);
            }
            System.out.println("tolerated as a tie: " + where);
        }
        System.out.printf("%s: beam 4, %d of %d n-best entries identical%n", variant, exact, ours.size());
    }

    // ------------------------------------------------------------------------------------------------ the models

    /** The variant's trained model directory, trained on first use (only where the peer can run). */
    private static synchronized Path model(Variant variant) throws IOException {
        Path model = MODELS.get(variant);
        if (model == null) {
            model = dir.resolve(variant.name().toLowerCase());
            train(variant.config, model);
            if (!variant.dtype.equals("F32")) {
                HalfPrecision.rewrite(model.resolve(ModelStore.WEIGHTS_FILE), variant.dtype);
            }
            MODELS.put(variant, model);
        }
        return model;
    }

    /** A few hundred updates of reversing random sequences: enough for confident, non-degenerate outputs. */
    private static void train(TransformerConfig config, Path modelDir) {
        List<Example> data = new ArrayList<>();
        for (int[] s : sequences(20_000, 1)) {
            data.add(new Example(s, reversed(s)));
        }
        TrainingOptions options = new TrainingOptions(64 * (MAX_LENGTH + 1), 1, 0f, 1.0, 100, 0.9f, 0.98f, 1e-9f, 0f,
                TRAINING_STEPS, null, 0, 7, 0, 100_000, 1, 0, 64);
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            new Trainer(backend, new ModelStore(backend)).train(new TrainingJob(modelDir, config,
                    new Examples(data, data.size(), 0, 0), List.of(), options), new TrainingListener() {
                    }, () -> false);
        }
    }

    /** Random sequences of 2 to {@value #MAX_LENGTH} symbols. */
    static List<int[]> sequences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.ints(r.nextInt(2, MAX_LENGTH + 1), FIRST_SYMBOL, FIRST_SYMBOL + SYMBOLS).toArray());
        }
        return out;
    }

    static int[] reversed(int[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[s.length - 1 - i];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ the two sides

    /** The two largest log-probabilities of the peer's next-token distribution after {@code prefix}. */
    private static double[] topTwo(Path model, int[] source, int[] prefix, int position) throws IOException {
        ObjectMapper json = new ObjectMapper();
        var pairs = json.createArrayNode();
        var pair = pairs.addObject();
        Arrays.stream(source).forEach(pair.putArray("src")::add);
        Arrays.stream(prefix).forEach(pair.putArray("tgt")::add);
        Path file = Files.writeString(Files.createTempFile(dir, "tie", ".json"), pairs.toString());
        JsonNode scored = readJson(json, peer("score", "--model", model.toString(), "--pairs", file.toString(), "--top2"));
        JsonNode top2 = scored.get("top2").get(position);
        return new double[] {top2.get(0).asDouble(), top2.get(1).asDouble()};
    }

    /** The peer's scores (log-probability under the length penalty) of {@code targets} given one source. */
    private static double[] scores(Path model, int[] source, List<int[]> targets, double lengthPenalty)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        var pairs = json.createArrayNode();
        for (int[] target : targets) {
            var pair = pairs.addObject();
            Arrays.stream(source).forEach(pair.putArray("src")::add);
            Arrays.stream(target).forEach(pair.putArray("tgt")::add);
        }
        Path file = Files.writeString(Files.createTempFile(dir, "scores", ".json"), pairs.toString());
        return peer("score", "--model", model.toString(), "--pairs", file.toString(), "--length-penalty",
                Double.toString(lengthPenalty)).lines().mapToDouble(line -> readJson(json, line).get("score").asDouble())
                .toArray();
    }

    /** {@code t4j ARGS} in this JVM; fails on a non-zero exit. */
    private static String t4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        assertEquals(0, code, "t4j " + String.join(" ", args) + ": " + err);
        return out.toString();
    }

    /** The peer's command line in its own process (one torch thread); fails on a non-zero exit. */
    private static String peer(String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), PEER.toString(), "--threads", "1"));
        command.addAll(List.of(args));
        Run r = run(command);
        assertEquals(0, r.exitCode(), "peer " + String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(List<String> command) {
        try {
            Path out = Files.createTempFile("peer", ".out");
            Path err = Files.createTempFile("peer", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return new Run(-1, "", String.join(" ", command) + " did not finish in 5 minutes");
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Run(-1, "", "cannot start " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        }
    }

    private static JsonNode readJson(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    static String spaced(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    static String csv(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    static int[] ids(String spaced) {
        return spaced.isEmpty() ? new int[0] : Arrays.stream(spaced.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
