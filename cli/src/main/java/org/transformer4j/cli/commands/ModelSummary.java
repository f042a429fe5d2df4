package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import org.transformer4j.model.ParameterLayout;
import org.transformer4j.model.ParameterSpec;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;

/** Prints a configuration and its parameter count, as {@code info} and {@code init} show them. */
final class ModelSummary {

    private ModelSummary() {
    }

    static void print(PrintWriter out, TransformerConfig c) {
        row(out, "d_model", Integer.toString(c.dModel()));
        row(out, "heads", c.heads() + " (" + c.headDim() + " per head)");
        row(out, "d_ff", Integer.toString(c.dFF()));
        row(out, "encoder_layers", Integer.toString(c.encoderLayers()));
        row(out, "decoder_layers", Integer.toString(c.decoderLayers()));
        row(out, "src_vocab_size", Integer.toString(c.srcVocabSize()));
        row(out, "tgt_vocab_size", Integer.toString(c.tgtVocabSize()));
        row(out, "dropout", Float.toString(c.dropout()));
        row(out, "norm", c.norm().id());
        row(out, "positional", c.positional().id());
        row(out, "tie_embeddings", c.tieEmbeddings().id());
        row(out, "layer_norm_eps", Float.toString(c.layerNormEps()));
        row(out, "special ids", "pad " + c.padId() + ", bos " + c.bosId() + ", eos " + c.eosId() + ", unk " + c.unkId());
        List<ParameterSpec> specs = ParameterLayout.of(c);
        long total = count(specs, "");
        row(out, "parameters", String.format(Locale.ROOT, "%,d (%.1fM)", total, total / 1e6));
        row(out, "  embeddings", String.format(Locale.ROOT, "%,d", count(specs, "src_embed.") + count(specs, "tgt_embed.")));
        row(out, "  encoder", String.format(Locale.ROOT, "%,d", count(specs, "encoder.")));
        row(out, "  decoder", String.format(Locale.ROOT, "%,d", count(specs, "decoder.")));
        row(out, "  generator", c.tieEmbeddings() == TieEmbeddings.NONE
                ? String.format(Locale.ROOT, "%,d", count(specs, "generator."))
                : "0 (shares the target embedding)");
        out.flush();
    }

    private static long count(List<ParameterSpec> specs, String prefix) {
        return specs.stream().filter(s -> s.name().startsWith(prefix)).mapToLong(s -> s.shape().size()).sum();
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-16s %s%n", key, value);
    }
}
