package org.transformer4j.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.model.io.ConfigJson;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.DataException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code t4j bench train --save-batches FILE}: the benchmark's batches as int32 token ids in a safetensors file,
 * so that another implementation (the PyTorch peer) can time the same steps on the same data. Per batch
 * {@code i}, in the order they run (the warm-up batches first):
 * <pre>
 * batch.{i}.source          I32 [B, S]   source ids, padded with pad_id
 * batch.{i}.source_lengths  I32 [B]      real source tokens per sentence
 * batch.{i}.target_input    I32 [B, T]   the decoder input: bos_id + target, padded
 * batch.{i}.labels          I32 [B, T]   what the decoder must predict: target + eos_id, padded (pad_id: no loss)
 * </pre>
 * The {@code __metadata__} holds {@code batches}, {@code config} (the model's config.json, special ids
 * included) and the caller's values (preset, warm-up steps). Written atomically.
 */
public final class BatchFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchFile() {
    }

    /** One named int32 tensor. */
    private record IntTensor(String name, int[] shape, int[] values) {
    }

    public static void write(Path file, List<Batch> batches, TransformerConfig config, Map<String, String> metadata) {
        List<IntTensor> tensors = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            String p = "batch." + i + ".";
            tensors.add(new IntTensor(p + "source", new int[] {b.source().batchSize(), b.source().length()}, b.source().ids()));
            tensors.add(new IntTensor(p + "source_lengths", new int[] {b.source().batchSize()}, b.source().lengths()));
            int[] targetShape = {b.targetInput().batchSize(), b.targetInput().length()};
            tensors.add(new IntTensor(p + "target_input", targetShape, b.targetInput().ids()));
            tensors.add(new IntTensor(p + "labels", targetShape, b.labels()));
        }
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.put("batches", Integer.toString(batches.size()));
        meta.put("config", ConfigJson.write(config, "none"));
        try {
            writeSafetensors(file, tensors, meta);
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The safetensors layout: header length (u64 LE), JSON header padded to 8 bytes, then the data. */
    private static void writeSafetensors(Path file, List<IntTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (IntTensor t : tensors) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "I32");
            Arrays.stream(t.shape()).forEach(entry.putArray("shape")::add);
            long bytes = (long) t.values().length * Integer.BYTES;
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
            out.write(padded);
            for (IntTensor t : tensors) {
                writeInts(out, t.values());
            }
        });
    }

    private static void writeInts(OutputStream out, int[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(values);
        out.write(buf.array());
    }
}
