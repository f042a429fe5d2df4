package org.transformer4j.cli.options;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.Positional;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;

import picocli.CommandLine.Option;

/** The model's shape on the command line: a preset and any value to override in it. */
public final class ModelOptions {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "base",
            description = "Model size: base (512, 8 heads, 2048, 6+6 layers), big (1024, 16, 4096, 6+6, dropout 0.3),"
                    + " small (256, 4, 1024, 3+3) or tiny (64, 4, 128, 2+2) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--vocab", paramLabel = "N", description = "Source and target vocabulary size, for a joint vocabulary.")
    Integer vocab;

    @Option(names = "--src-vocab", paramLabel = "N", description = "Source vocabulary size.")
    Integer srcVocab;

    @Option(names = "--tgt-vocab", paramLabel = "N", description = "Target vocabulary size.")
    Integer tgtVocab;

    @Option(names = "--d-model", paramLabel = "N", description = "Hidden width (overrides the preset).")
    Integer dModel;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (overrides the preset).")
    Integer heads;

    @Option(names = "--d-ff", paramLabel = "N", description = "Feed-forward inner width (overrides the preset).")
    Integer dFF;

    @Option(names = "--layers", paramLabel = "N", description = "Encoder and decoder layers (overrides the preset).")
    Integer layers;

    @Option(names = "--encoder-layers", paramLabel = "N", description = "Encoder layers (overrides --layers).")
    Integer encoderLayers;

    @Option(names = "--decoder-layers", paramLabel = "N", description = "Decoder layers (overrides --layers).")
    Integer decoderLayers;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout probability (preset: 0.1, big 0.3).")
    Float dropout;

    @Option(names = "--norm", paramLabel = "post|pre",
            description = "Layer norm after each residual sum, as the paper (post, default), or before each sub-layer (pre).")
    String norm;

    @Option(names = "--positional", paramLabel = "LAYOUT",
            description = "sinusoidal (the paper's interleaved sin/cos, default) or sinusoidal-concat (tensor2tensor).")
    String positional;

    @Option(names = "--tie-embeddings", paramLabel = "none|decoder|all",
            description = "Share the target embedding with the output projection (decoder), or all three matrices"
                    + " (all, needs one vocabulary). Default: none.")
    String tieEmbeddings;

    @Option(names = "--layer-norm-eps", paramLabel = "EPS", description = "Layer norm epsilon (default 1e-5).")
    Float layerNormEps;

    /** The configuration these options describe. */
    public TransformerConfig toConfig() {
        return toConfig(null, null);
    }

    /** The configuration these options describe, with vocabulary sizes taken from tokenizers when not given. */
    public TransformerConfig toConfig(Integer learnedSrc, Integer learnedTgt) {
        try {
            return build(learnedSrc, learnedTgt);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage()); // a bad option value is a usage error
        }
    }

    private TransformerConfig build(Integer learnedSrc, Integer learnedTgt) {
        Integer src = srcVocab != null ? srcVocab : vocab != null ? vocab : learnedSrc;
        Integer tgt = tgtVocab != null ? tgtVocab : vocab != null ? vocab : learnedTgt;
        if (src == null || tgt == null) {
            throw new IllegalArgumentException("give the vocabulary sizes: --src-vocab N and --tgt-vocab M, or --vocab N for both");
        }
        TransformerConfig.Builder b = TransformerConfig.builder(preset).srcVocabSize(src).tgtVocabSize(tgt);
        if (dModel != null) {
            b.dModel(dModel);
        }
        if (heads != null) {
            b.heads(heads);
        }
        if (dFF != null) {
            b.dFF(dFF);
        }
        if (layers != null) {
            b.layers(layers);
        }
        if (encoderLayers != null) {
            b.encoderLayers(encoderLayers);
        }
        if (decoderLayers != null) {
            b.decoderLayers(decoderLayers);
        }
        if (dropout != null) {
            b.dropout(dropout);
        }
        if (norm != null) {
            b.norm(Norm.of(norm));
        }
        if (positional != null) {
            b.positional(Positional.of(positional));
        }
        if (tieEmbeddings != null) {
            b.tieEmbeddings(TieEmbeddings.of(tieEmbeddings));
        }
        if (layerNormEps != null) {
            b.layerNormEps(layerNormEps);
        }
        return b.build();
    }
}
