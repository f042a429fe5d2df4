package org.transformer4j.model;

import java.util.List;
import java.util.Locale;

/**
 * Every hyper-parameter of the model, as one immutable record (nanoGPT's {@code GPTConfig}, in spirit).
 * The defaults are the paper's base model; {@link #preset} gives the named sizes and {@link Builder} changes
 * any value.
 *
 * @param dModel        width of every hidden state; embeddings are scaled by its square root (paper: 512)
 * @param heads         attention heads, each of width {@code dModel / heads} (8 of 64)
 * @param dFF           inner width of the position-wise feed-forward layer (2048)
 * @param encoderLayers encoder stack depth N (6)
 * @param decoderLayers decoder stack depth N (6)
 * @param srcVocabSize  source vocabulary size
 * @param tgtVocabSize  target vocabulary size
 * @param dropout       P_drop on sub-layer outputs and on embeddings + positions, training only (0.1)
 * @param norm          where layer norm sits around each sub-layer: {@code POST} as in the paper, or {@code PRE}
 * @param positional    the sinusoid layout: the paper's interleaved sin/cos, or tensor2tensor's concatenation
 * @param tieEmbeddings which matrices share weights (paper section 3.4)
 * @param layerNormEps  epsilon inside layer norm's square root (1e-5, as PyTorch)
 * @param padId         padding token id; never attended to, never scored
 * @param bosId         beginning-of-sentence id, the decoder's first input
 * @param eosId         end-of-sentence id, the decoder's last output
 * @param unkId         unknown-token id
 */
public record TransformerConfig(
        int dModel,
        int heads,
        int dFF,
        int encoderLayers,
        int decoderLayers,
        int srcVocabSize,
        int tgtVocabSize,
        float dropout,
        Norm norm,
        Positional positional,
        TieEmbeddings tieEmbeddings,
        float layerNormEps,
        int padId,
        int bosId,
        int eosId,
        int unkId) {

    /** Where layer normalisation sits around each sub-layer. */
    public enum Norm {
        /** {@code LayerNorm(x + Sublayer(x))}, the paper's arrangement. */
        POST("post"),
        /** {@code x + Sublayer(LayerNorm(x))}, with a final norm on each stack; trains more easily when deep. */
        PRE("pre");

        private final String id;

        Norm(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Norm of(String id) {
            return parse("norm", values(), id, Norm::id);
        }
    }

    /** The layout of the sinusoidal position encodings. */
    public enum Positional {
        /** PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...): the paper. */
        SINUSOIDAL("sinusoidal"),
        /** sin of every timescale, then cos of every timescale, as tensor2tensor's get_timing_signal_1d. */
        SINUSOIDAL_CONCAT("sinusoidal-concat");

        private final String id;

        Positional(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Positional of(String id) {
            return parse("positional", values(), id, Positional::id);
        }
    }

    /** Weight sharing between the embeddings and the output projection (paper section 3.4). */
    public enum TieEmbeddings {
        /** Three separate matrices. */
        NONE("none"),
        /** The target embedding is the output projection. */
        DECODER("decoder"),
        /** Source embedding, target embedding and output projection are one matrix (a joint vocabulary). */
        ALL("all");

        private final String id;

        TieEmbeddings(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static TieEmbeddings of(String id) {
            return parse("tie_embeddings", values(), id, TieEmbeddings::id);
        }
    }

    /** The preset names, smallest last. */
    public static final List<String> PRESETS = List.of("big", "base", "small", "tiny");

    public TransformerConfig {
        require(dModel > 0 && heads > 0 && dFF > 0, "d_model, heads and d_ff must be positive");
        require(dModel % heads == 0, "d_model " + dModel + " is not divisible by " + heads + " heads");
        require(dModel % 2 == 0, "d_model must be even for the sinusoidal position encodings, got " + dModel);
        require(encoderLayers > 0 && decoderLayers > 0, "encoder_layers and decoder_layers must be at least 1");
        require(srcVocabSize > 0 && tgtVocabSize > 0, "vocabulary sizes must be positive");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(layerNormEps > 0, "layer_norm_eps must be positive");
        require(norm != null && positional != null && tieEmbeddings != null, "norm, positional and tie_embeddings must be set");
        require(tieEmbeddings != TieEmbeddings.ALL || srcVocabSize == tgtVocabSize,
                "tie_embeddings 'all' needs one joint vocabulary, but src_vocab_size is " + srcVocabSize
                        + " and tgt_vocab_size " + tgtVocabSize);
        int smallest = Math.min(srcVocabSize, tgtVocabSize);
        for (int id : new int[] {padId, bosId, eosId, unkId}) {
            require(id >= 0 && id < smallest, "special token ids (pad " + padId + ", bos " + bosId + ", eos " + eosId
                    + ", unk " + unkId + ") must be below both vocabulary sizes (" + smallest + ")");
        }
    }

    /**
     * A named size: {@code base} (512, 8 heads, 2048, 6+6, dropout 0.1), {@code big} (1024, 16, 4096, 6+6,
     * 0.3), {@code small} (256, 4, 1024, 3+3, 0.1) or {@code tiny} (64, 4, 128, 2+2, 0.1), with the given
     * vocabulary sizes and the paper's other choices.
     */
    public static TransformerConfig preset(String name, int srcVocabSize, int tgtVocabSize) {
        return builder(name).srcVocabSize(srcVocabSize).tgtVocabSize(tgtVocabSize).build();
    }

    /** A builder starting from a preset (vocabulary sizes 32000 until set). */
    public static Builder builder(String preset) {
        Builder b = new Builder();
        switch (preset.toLowerCase(Locale.ROOT)) {
            case "base" -> b.dims(512, 8, 2048, 6, 6, 0.1f);
            case "big" -> b.dims(1024, 16, 4096, 6, 6, 0.3f);
            case "small" -> b.dims(256, 4, 1024, 3, 3, 0.1f);
            case "tiny" -> b.dims(64, 4, 128, 2, 2, 0.1f);
            default -> throw new IllegalArgumentException("unknown preset '" + preset + "'; presets: " + String.join(", ", PRESETS));
        }
        return b;
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dModel = dModel;
        b.heads = heads;
        b.dFF = dFF;
        b.encoderLayers = encoderLayers;
        b.decoderLayers = decoderLayers;
        b.srcVocabSize = srcVocabSize;
        b.tgtVocabSize = tgtVocabSize;
        b.dropout = dropout;
        b.norm = norm;
        b.positional = positional;
        b.tieEmbeddings = tieEmbeddings;
        b.layerNormEps = layerNormEps;
        b.padId = padId;
        b.bosId = bosId;
        b.eosId = eosId;
        b.unkId = unkId;
        return b;
    }

    /** The width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    /** Changes any value of a configuration; {@link #build} validates the result. */
    public static final class Builder {
        private int dModel = 512;
        private int heads = 8;
        private int dFF = 2048;
        private int encoderLayers = 6;
        private int decoderLayers = 6;
        private int srcVocabSize = 32000;
        private int tgtVocabSize = 32000;
        private float dropout = 0.1f;
        private Norm norm = Norm.POST;
        private Positional positional = Positional.SINUSOIDAL;
        private TieEmbeddings tieEmbeddings = TieEmbeddings.NONE;
        private float layerNormEps = 1e-5f;
        private int padId = 0;
        private int bosId = 1;
        private int eosId = 2;
        private int unkId = 3;

        private Builder dims(int d, int h, int ff, int enc, int dec, float drop) {
            dModel = d;
            heads = h;
            dFF = ff;
            encoderLayers = enc;
            decoderLayers = dec;
            dropout = drop;
            return this;
        }

        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder dFF(int v) { dFF = v; return this; }
        public Builder encoderLayers(int v) { encoderLayers = v; return this; }
        public Builder decoderLayers(int v) { decoderLayers = v; return this; }
        /** Both stacks at once. */
        public Builder layers(int v) { encoderLayers = v; decoderLayers = v; return this; }
        public Builder srcVocabSize(int v) { srcVocabSize = v; return this; }
        public Builder tgtVocabSize(int v) { tgtVocabSize = v; return this; }
        public Builder dropout(float v) { dropout = v; return this; }
        public Builder norm(Norm v) { norm = v; return this; }
        public Builder positional(Positional v) { positional = v; return this; }
        public Builder tieEmbeddings(TieEmbeddings v) { tieEmbeddings = v; return this; }
        public Builder layerNormEps(float v) { layerNormEps = v; return this; }
        public Builder padId(int v) { padId = v; return this; }
        public Builder bosId(int v) { bosId = v; return this; }
        public Builder eosId(int v) { eosId = v; return this; }
        public Builder unkId(int v) { unkId = v; return this; }

        public TransformerConfig build() {
            return new TransformerConfig(dModel, heads, dFF, encoderLayers, decoderLayers, srcVocabSize, tgtVocabSize,
                    dropout, norm, positional, tieEmbeddings, layerNormEps, padId, bosId, eosId, unkId);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model configuration: " + message);
        }
    }

    private static <E extends Enum<E>> E parse(String what, E[] values, String id, java.util.function.Function<E, String> idOf) {
        for (E e : values) {
            if (idOf.apply(e).equals(id)) {
                return e;
            }
        }
        List<String> ids = java.util.Arrays.stream(values).map(idOf).toList();
        throw new IllegalArgumentException("unknown " + what + " '" + id
                + "'; expected one of " + String.join(", ", ids));
    }
}
