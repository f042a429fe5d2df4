package org.transformer4j.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.training.data.DataException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code t4j bench decode --save-ids FILE}: what the benchmark decoded, as token ids, so that another
 * implementation (the PyTorch peer) can decode the same sentences and compare outputs and speed. A JSON object:
 * <pre>
 * {"model": DIR, "batch_size": 32, "sources": [[ids], ...],
 *  "runs": [{"name": "greedy, cache", "beam": 1, "length_penalty": 0.6, "max_len_a": 1.2, "max_len_b": 10,
 *            "cache": true, "seconds": 1.23, "output_tokens": 456, "outputs": [[ids], ...]}, ...]}
 * </pre>
 * Outputs are the best hypothesis of each source, without {@code <bos>} and {@code <eos>}; {@code output_tokens}
 * counts them with their {@code <eos>}, as the benchmark's tokens/s does. Written atomically.
 */
public final class DecodedIdsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DecodedIdsFile() {
    }

    /** One timed configuration of the benchmark. */
    public record Run(String name, DecodingOptions options, List<Translation> translations, double seconds) {
    }

    public static void write(Path file, Path model, int batchSize, List<int[]> sources, List<Run> runs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.toString());
        root.put("batch_size", batchSize);
        ArrayNode sourceArray = root.putArray("sources");
        sources.forEach(ids -> ids(sourceArray.addArray(), ids));
        ArrayNode runArray = root.putArray("runs");
        for (Run run : runs) {
            DecodingOptions o = run.options();
            ObjectNode r = runArray.addObject();
            r.put("name", run.name());
            r.put("beam", o.beamSize());
            r.put("length_penalty", o.lengthPenalty());
            r.put("max_len_a", o.maxLengthA());
            r.put("max_len_b", o.maxLengthB());
            r.put("cache", o.cache());
            r.put("seconds", run.seconds());
            ArrayNode outputs = r.putArray("outputs");
            long tokens = 0;
            for (Translation t : run.translations()) {
                int[] best = t.hypotheses().isEmpty() ? new int[0] : t.hypotheses().getFirst().tokens();
                ids(outputs.addArray(), best);
                tokens += t.hypotheses().isEmpty() ? 0 : best.length + 1;
            }
            r.put("output_tokens", tokens);
        }
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void ids(ArrayNode array, int[] ids) {
        for (int id : ids) {
            array.add(id);
        }
    }
}
