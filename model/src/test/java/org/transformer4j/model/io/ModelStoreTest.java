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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Backends;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Shape;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.ParameterLayout;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.nn.Parameter;

/** Model directories: what init writes reads back identically; every kind of damage gives a clear error. */
class ModelStoreTest {

    @TempDir
    Path dir;

    private Backend backend;
    private ModelStore store;
    private final TransformerConfig config = TransformerConfig.preset("tiny", 17, 19);

    @BeforeEach
    void open() {
        backend = Backends.open("cpu", BackendOptions.threads(1));
        store = new ModelStore(backend);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aSavedModelLoadsWithIdenticalParametersAndConfig() throws IOException {
        try (Transformer model = store.initialise(config, 5)) {
            store.save(model, dir);
            try (Transformer loaded = store.load(dir)) {
                assertEquals(config, loaded.config());
                assertEquals(model.parameters().keySet(), loaded.parameters().keySet());
                for (Parameter p : model.parameters().values()) {
                    assertArrayEquals(p.value().toFloatArray(), loaded.parameters().get(p.name()).value().toFloatArray(), p.name());
                }
            }
        }
        String json = Files.readString(dir.resolve("config.json"));
        assertTrue(json.contains("\"format_version\" : 1") && json.contains("\"backend\" : \"cpu\""), json);
        assertTrue(Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }

    @Test
    void aModelReadBackGivesIdenticalScores() {
        TokenBatch source = TokenBatch.of(new int[] {4, 5, 6, 16});
        TokenBatch target = TokenBatch.of(new int[] {1, 7, 18});
        float[] before;
        try (Transformer model = store.initialise(config, 5); TensorScope scope = TensorScope.open()) {
            before = model.forward(source, target, ForwardContext.inference()).logits().toFloatArray();
            store.save(model, dir);
        }
        try (Transformer loaded = store.load(dir); TensorScope scope = TensorScope.open()) {
            assertArrayEquals(before, loaded.forward(source, target, ForwardContext.inference()).logits().toFloatArray());
        }
    }

    @Test
    void theWeightsFileIsPlainSafetensors() throws IOException {
        try (Transformer model = store.initialise(config, 5)) {
            store.save(model, dir);
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "tensor data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{"), header);
        assertTrue(header.contains("\"src_embed.weight\":{\"dtype\":\"F32\",\"shape\":[17,64],\"data_offsets\":[0,4352]}"), header);
        long params = ParameterLayout.count(config);
        assertEquals(8 + headerLength + params * 4, bytes.length);
        // The first value of src_embed.weight, read the way numpy would (little-endian float32).
        try (Transformer model = store.load(dir)) {
            float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
            assertEquals(model.parameters().get("src_embed.weight").value().toFloatArray()[0], first);
        }
    }

    @Test
    void tiedEmbeddingsAreStoredOnce() {
        TransformerConfig tied = TransformerConfig.builder("tiny").srcVocabSize(20).tgtVocabSize(20)
                .tieEmbeddings(TieEmbeddings.ALL).build();
        List<String> names = ParameterLayout.of(tied).stream().map(s -> s.name()).toList();
        assertTrue(names.contains("src_embed.weight"));
        assertTrue(!names.contains("tgt_embed.weight") && !names.contains("generator.weight"), names.toString());
        TransformerConfig decoderTie = tied.toBuilder().tieEmbeddings(TieEmbeddings.DECODER).build();
        List<String> decoderNames = ParameterLayout.of(decoderTie).stream().map(s -> s.name()).toList();
        assertTrue(decoderNames.contains("tgt_embed.weight") && !decoderNames.contains("generator.weight"));
    }

    @Test
    void wrongShapesMissingAndUnexpectedTensorsAreAllReportedAtOnce() throws IOException {
        TransformerConfig other = config.toBuilder().dFF(96).build();
        try (Transformer model = store.initialise(other, 5)) {
            store.save(model, dir);
        }
        // config.json says d_ff 128, the weights were written with 96.
        Files.writeString(dir.resolve("config.json"), ConfigJson.write(config, "cpu"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("does not match its config.json (12 problems)"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.layers.0.ffn.fc1.weight has shape [96, 64], expected [128, 64]"), e.getMessage());

        Path weights = dir.resolve("model.safetensors");
        SafeTensors.write(weights, List.of(new SafeTensors.Source("src_embed.weight", Shape.of(17, 64), () -> new float[17 * 64]),
                new SafeTensors.Source("extra", Shape.of(2), () -> new float[2])), Map.of());
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("missing tgt_embed.weight [19, 64]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected tensor extra"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsAnErrorNotGarbage() throws IOException {
        try (Transformer model = store.initialise(config, 5)) {
            store.save(model, dir);
        }
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("is truncated"), e.getMessage());

        Files.write(weights, java.util.Arrays.copyOf(bytes, 5));
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("not a valid safetensors file"), e.getMessage());

        byte[] garbage = bytes.clone();
        garbage[9] = '#';
        Files.write(weights, garbage);
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("header is not valid JSON"), e.getMessage());
    }

    @Test
    void configProblemsAreNamed() throws IOException {
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("has no config.json"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), ConfigJson.write(config, "cpu").replace("\"format_version\" : 1", "\"format_version\" : 2"));
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("format_version 2, newer than this transformer4j reads (1)"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), "{\"format_version\": 1, \"d_model\": 64}");
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("lacks heads, d_ff"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), ConfigJson.write(config, "cpu").replace("\"heads\" : 4", "\"heads\" : 5"));
        e = assertThrows(CheckpointException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("not divisible by 5 heads"), e.getMessage());
    }
}
