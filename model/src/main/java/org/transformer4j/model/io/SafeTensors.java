package org.transformer4j.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.transformer4j.api.Shape;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that follows)
 * plus an optional {@code "__metadata__"} of strings, then the raw little-endian data. We write float32
 * ({@code F32}); we read {@code F32}, {@code F16} and {@code BF16} (converted to float32).
 *
 * <p>Reading validates everything before trusting it: the header's length and JSON, every entry's dtype,
 * shape and offsets, offsets that tile the data without gaps or overlaps, and a file long enough for all of
 * it. A truncated or corrupt file is a {@link CheckpointException}, never garbage.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** One tensor's header entry. */
    public record Entry(String name, String dtype, Shape shape, long begin, long end) {

        int bytesPerElement() {
            return dtype.equals("F32") ? 4 : 2;
        }
    }

    /** A tensor to write: its name, shape and (lazily fetched) row-major values. */
    public record Source(String name, Shape shape, Supplier<float[]> values) {
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code tensors} in order as F32, atomically (temporary file, then rename). */
    public static void write(Path file, List<Source> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            // sorted: the same model gives the same file bytes (Map.of iterates in a per-JVM random order)
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Source t : tensors) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().toArray()) {
                shape.add(d);
            }
            long bytes = t.shape().size() * Float.BYTES;
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // data starts 8-byte aligned, as the reference writer does
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerBytes);
            for (Source t : tensors) {
                float[] values = t.values().get();
                if (values.length != t.shape().size()) {
                    throw new IllegalStateException(t.name() + ": " + values.length + " values for shape " + t.shape());
                }
                writeFloats(out, values);
            }
        });
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    // ---------------------------------------------------------------- reading

    /** An open safetensors file whose header has been validated. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, Entry> entries;
        private final Map<String, String> metadata;

        private Reader(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
            this.file = file;
            this.channel = channel;
            this.dataStart = dataStart;
            this.entries = entries;
            this.metadata = metadata;
        }

        /** Every entry by name, in file order. */
        public Map<String, Entry> entries() {
            return entries;
        }

        public Map<String, String> metadata() {
            return metadata;
        }

        /** The values of tensor {@code name} as float32. */
        public float[] floats(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new CheckpointException(file + " has no tensor " + name);
            }
            int n = e.shape().intSize();
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            try {
                long position = dataStart + e.begin();
                while (buf.hasRemaining()) {
                    int read = channel.read(buf, position + buf.position());
                    if (read < 0) {
                        throw new CheckpointException(file + " is truncated inside tensor " + name);
                    }
                }
            } catch (IOException ex) {
                throw new CheckpointException("cannot read " + file + ": " + ex.getMessage(), ex);
            }
            buf.flip();
            float[] out = new float[n];
            switch (e.dtype()) {
                case "F32" -> buf.asFloatBuffer().get(out);
                case "F16" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.float16ToFloat(buf.getShort());
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
                    }
                }
                default -> throw new IllegalStateException(e.dtype());
            }
            return out;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a file opened for reading: nothing was lost
            }
        }
    }

    /** Opens and validates a safetensors file. */
    public static Reader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + " not found");
        } catch (IOException e) {
            throw new CheckpointException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(file, "it is " + size + " bytes long, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBuf, 0);
            long headerLength = lengthBuf.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw corrupt(file, "its header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (JacksonException e) {
                throw corrupt(file, "its header is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw corrupt(file, "its header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = new LinkedHashMap<>(); // in file order
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.put(f.getKey(), entry(file, f.getKey(), f.getValue()));
                }
            }
            List<Entry> byOffset = new ArrayList<>(entries.values());
            byOffset.sort((a, b) -> Long.compare(a.begin(), b.begin()));
            long expected = 0;
            for (Entry e : byOffset) {
                if (e.begin() != expected) {
                    throw corrupt(file, "tensor " + e.name() + " starts at byte " + e.begin() + " of the data, expected "
                            + expected + " (the data must be tiled without gaps or overlaps)");
                }
                expected = e.end();
            }
            if (dataStart + expected > size) {
                throw new CheckpointException(file + " is truncated: its header describes " + expected
                        + " bytes of tensor data, but only " + (size - dataStart) + " follow the header");
            }
            return new Reader(file, channel, dataStart, entries, metadata);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Entry entry(Path file, String name, JsonNode node) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw corrupt(file, "the header entry of " + name + " lacks a dtype, shape or data_offsets");
        }
        String type = dtype.asText();
        if (!type.equals("F32") && !type.equals("F16") && !type.equals("BF16")) {
            throw new CheckpointException(file + ": tensor " + name + " has dtype " + type
                    + "; transformer4j reads F32, F16 and BF16");
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToInt() || d.asInt() < 1) {
                throw corrupt(file, "tensor " + name + " has an invalid shape " + shape);
            }
            dims[i] = d.asInt();
        }
        Shape s = Shape.of(dims);
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long bytes = s.size() * (type.equals("F32") ? 4 : 2);
        if (begin < 0 || end - begin != bytes) {
            throw corrupt(file, "tensor " + name + " of shape " + s + " and dtype " + type + " spans bytes " + begin + ".."
                    + end + ", which is not " + bytes + " bytes");
        }
        return new Entry(name, type, s, begin, end);
    }

    private static CheckpointException corrupt(Path file, String why) {
        return new CheckpointException(file + " is not a valid safetensors file: " + why);
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already failing; the original error is the one to report
        }
    }
}
