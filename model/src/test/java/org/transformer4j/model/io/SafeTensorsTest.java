package org.transformer4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Shape;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32WithMetadata() throws IOException {
        Path f = dir.resolve("a.safetensors");
        float[] a = {1.5f, -2f, Float.MIN_VALUE, 3e30f, 0f, -0f};
        SafeTensors.write(f, List.of(new SafeTensors.Source("a", Shape.of(2, 3), () -> a),
                new SafeTensors.Source("b", Shape.of(1), () -> new float[] {7f})), Map.of("k", "v"));
        try (SafeTensors.Reader r = SafeTensors.open(f)) {
            assertEquals(List.of("a", "b"), List.copyOf(r.entries().keySet()));
            assertEquals(Shape.of(2, 3), r.entries().get("a").shape());
            assertArrayEquals(a, r.floats("a"));
            assertArrayEquals(new float[] {7f}, r.floats("b"));
            assertEquals("v", r.metadata().get("k"));
        }
    }

    @Test
    void theSameContentGivesTheSameBytes() throws IOException {
        // Map.of iterates in an order that changes from one JVM to the next; the file must not.
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(new SafeTensors.Source("a", Shape.of(1), () -> new float[] {1f})),
                Map.of("zeta", "1", "alpha", "2", "mid", "3"));
        String header = new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.indexOf("alpha") < header.indexOf("mid") && header.indexOf("mid") < header.indexOf("zeta"), header);
    }

    @Test
    void readsHalfAndBfloat16() throws IOException {
        // Written by hand as another tool would: F16 [1.0, -2.5] and BF16 [3.0].
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 6).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        buf.putShort(Float.floatToFloat16(1.0f)).putShort(Float.floatToFloat16(-2.5f));
        buf.putShort((short) (Float.floatToIntBits(3.0f) >>> 16));
        Path f = dir.resolve("half.safetensors");
        Files.write(f, buf.array());
        try (SafeTensors.Reader r = SafeTensors.open(f)) {
            assertArrayEquals(new float[] {1.0f, -2.5f}, r.floats("h"));
            assertArrayEquals(new float[] {3.0f}, r.floats("b"));
        }
    }

    @Test
    void rejectsOverlapsGapsAndUnknownDtypes() throws IOException {
        assertCorrupt("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 8, "without gaps or overlaps");
        assertCorrupt("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "which is not 8 bytes");
        assertCorrupt("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "has dtype I64");
        assertCorrupt("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0, "invalid shape");
        assertCorrupt("[1, 2]", 0, "not a JSON object");
    }

    private void assertCorrupt(String header, int dataBytes, String expected) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, buf.array());
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(f).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
