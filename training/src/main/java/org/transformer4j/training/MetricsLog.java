package org.transformer4j.training;

import org.transformer4j.training.data.DataException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Appends one JSON object per line to {@code metrics.jsonl} for plotting: {@code "type": "train"} after every
 * update (step, epoch, loss, perplexity, accuracy, learning rate, gradient norm, tokens, tokens/s, elapsed
 * seconds) and {@code "type": "valid"} after every validation. A resumed run appends to the same file.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {

    public static final String FILE = "metrics.jsonl";

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path modelDirectory) {
        try {
            Files.createDirectories(modelDirectory);
            this.out = Files.newBufferedWriter(modelDirectory.resolve(FILE), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new DataException("cannot open " + modelDirectory.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stepped(StepStats s) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "train");
        n.put("step", s.step());
        n.put("epoch", s.epoch());
        n.put("loss", s.loss());
        n.put("ppl", s.perplexity());
        n.put("accuracy", s.accuracy());
        n.put("lr", s.learningRate());
        n.put("grad_norm", s.gradientNorm());
        n.put("tokens", s.targetTokens());
        n.put("tokens_per_s", s.tokensPerSec());
        n.put("elapsed_s", s.elapsed().toMillis() / 1000.0);
        write(n);
    }

    @Override
    public void validated(ValidationStats s) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "valid");
        n.put("step", s.step());
        n.put("loss", s.loss());
        n.put("ppl", s.perplexity());
        n.put("accuracy", s.accuracy());
        n.put("tokens", s.targetTokens());
        n.put("best", s.best());
        if (!Double.isNaN(s.bleu())) {
            n.put("bleu", s.bleu());
        }
        write(n);
    }

    private void write(ObjectNode n) {
        try {
            out.write(n.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
