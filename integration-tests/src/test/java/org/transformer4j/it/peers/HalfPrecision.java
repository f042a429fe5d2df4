package org.transformer4j.it.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.transformer4j.model.io.SafeTensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites a float32 safetensors file in F16 or BF16 (rounded to nearest, ties to even), as other tools save
 * half-precision weights: transformer4j writes F32 only but reads all three, and so must the peer.
 */
final class HalfPrecision {

    private HalfPrecision() {
    }

    static void rewrite(Path file, String dtype) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        ByteBuffer data;
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            ObjectNode meta = header.putObject("__metadata__");
            reader.metadata().forEach(meta::put);
            long bytes = 2 * reader.entries().values().stream().mapToLong(e -> e.shape().size()).sum();
            data = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, SafeTensors.Entry> e : reader.entries().entrySet()) {
                ObjectNode entry = header.putObject(e.getKey());
                entry.put("dtype", dtype);
                Arrays.stream(e.getValue().shape().toArray()).forEach(entry.putArray("shape")::add);
                long begin = data.position();
                for (float v : reader.floats(e.getKey())) {
                    data.putShort(dtype.equals("F16") ? Float.floatToFloat16(v) : bfloat16(v));
                }
                entry.putArray("data_offsets").add(begin).add(data.position());
            }
        }
        byte[] text = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        ByteBuffer out = ByteBuffer.allocate(8 + padded.length + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded.length).put(padded).put(data.array());
        Files.write(file, out.array());
    }

    /** The upper 16 bits of the float, rounded to nearest even (finite values). */
    private static short bfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
