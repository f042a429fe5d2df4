package org.transformer4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.io.ConfigJson;

class TransformerConfigTest {

    @Test
    void presetsHaveThePapersSizes() {
        TransformerConfig base = TransformerConfig.preset("base", 37000, 37000);
        assertEquals(512, base.dModel());
        assertEquals(8, base.heads());
        assertEquals(64, base.headDim());
        assertEquals(2048, base.dFF());
        assertEquals(6, base.encoderLayers());
        assertEquals(6, base.decoderLayers());
        assertEquals(0.1f, base.dropout());
        assertEquals(Norm.POST, base.norm());
        assertEquals(1e-5f, base.layerNormEps());
        TransformerConfig big = TransformerConfig.preset("big", 100, 100);
        assertEquals(1024, big.dModel());
        assertEquals(16, big.heads());
        assertEquals(4096, big.dFF());
        assertEquals(0.3f, big.dropout());
        TransformerConfig small = TransformerConfig.preset("small", 100, 100);
        assertEquals(256, small.dModel());
        assertEquals(3, small.encoderLayers());
        TransformerConfig tiny = TransformerConfig.preset("tiny", 100, 100);
        assertEquals(64, tiny.dModel());
        assertEquals(128, tiny.dFF());
        assertEquals(2, tiny.decoderLayers());
    }

    /**
     * Paper Table 3 lists about 65M parameters for the base model with a shared 37000-token vocabulary. Ours,
     * counted by hand: 37000·512 shared embeddings = 18,944,000; an encoder layer has 4·(512²+512) attention +
     * (512·2048+2048) + (2048·512+512) feed-forward + 2·2·512 norms = 3,152,384; a decoder layer one more
     * attention and norm = 4,204,032; 6 of each = 44,138,496; total 63,082,496.
     */
    @Test
    void theBaseModelHasAbout65MillionParameters() {
        TransformerConfig base = TransformerConfig.builder("base").srcVocabSize(37000).tgtVocabSize(37000)
                .tieEmbeddings(TieEmbeddings.ALL).build();
        assertEquals(63_082_496L, ParameterLayout.count(base));
    }

    @Test
    void rejectsInconsistentValuesWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.builder("tiny").heads(5).build());
        assertTrue(e.getMessage().contains("d_model 64 is not divisible by 5 heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.builder("tiny").srcVocabSize(10)
                .tgtVocabSize(11).tieEmbeddings(TieEmbeddings.ALL).build());
        assertTrue(e.getMessage().contains("one joint vocabulary"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.builder("tiny").srcVocabSize(3).build());
        assertTrue(e.getMessage().contains("special token ids"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.builder("huge"));
        assertTrue(e.getMessage().contains("presets: big, base, small, tiny"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TieEmbeddings.of("both"));
        assertTrue(e.getMessage().contains("expected one of none, decoder, all"), e.getMessage());
    }

    @Test
    void configJsonRoundTrips() {
        TransformerConfig c = TransformerConfig.builder("small").srcVocabSize(1000).tgtVocabSize(1200).norm(Norm.PRE)
                .tieEmbeddings(TieEmbeddings.DECODER).dropout(0.2f).build();
        ConfigJson.Parsed parsed = ConfigJson.read(ConfigJson.write(c, "nd4j"), "config.json");
        assertEquals(c, parsed.config());
        assertEquals("nd4j", parsed.writtenBy().backend());
        assertEquals("transformer4j", parsed.writtenBy().project());
        assertTrue(parsed.writtenBy().version().matches("\\d+\\.\\d+\\.\\d+.*"), parsed.writtenBy().version());
    }
}
