package org.transformer4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.transformer4j.api.Shape;
import org.transformer4j.model.ParameterSpec.Role;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;

/**
 * The names, shapes and order of every parameter of a configuration: the checkpoint format. Linear weights
 * are {@code [out_features, in_features]}, biases {@code [out_features]}, layer-norm weight and bias
 * {@code [d_model]}; names follow PyTorch conventions so that numpy and PyTorch can read our models:
 *
 * <pre>
 * src_embed.weight                          always
 * tgt_embed.weight                          unless tie_embeddings is "all"
 * encoder.layers.{i}.self_attn.{q_proj,k_proj,v_proj,out_proj}.{weight,bias}
 * encoder.layers.{i}.self_attn_norm.{weight,bias}
 * encoder.layers.{i}.ffn.{fc1,fc2}.{weight,bias}
 * encoder.layers.{i}.ffn_norm.{weight,bias}
 * encoder.norm.{weight,bias}                pre-norm only
 * decoder.layers.{i}.self_attn.*, .self_attn_norm.*, .cross_attn.*, .cross_attn_norm.*, .ffn.*, .ffn_norm.*
 * decoder.norm.{weight,bias}                pre-norm only
 * generator.weight                          only when tie_embeddings is "none" (no bias)
 * </pre>
 */
public final class ParameterLayout {

    private ParameterLayout() {
    }

    /** Every parameter of {@code config}, in checkpoint order; tied matrices appear once. */
    public static List<ParameterSpec> of(TransformerConfig config) {
        List<ParameterSpec> specs = new ArrayList<>();
        int d = config.dModel();
        specs.add(new ParameterSpec("src_embed.weight", Shape.of(config.srcVocabSize(), d), Role.EMBEDDING));
        if (config.tieEmbeddings() != TieEmbeddings.ALL) {
            specs.add(new ParameterSpec("tgt_embed.weight", Shape.of(config.tgtVocabSize(), d), Role.EMBEDDING));
        }
        for (int i = 0; i < config.encoderLayers(); i++) {
            String p = "encoder.layers." + i;
            attention(specs, p + ".self_attn", d);
            norm(specs, p + ".self_attn_norm", d);
            feedForward(specs, p + ".ffn", d, config.dFF());
            norm(specs, p + ".ffn_norm", d);
        }
        if (config.norm() == Norm.PRE) {
            norm(specs, "encoder.norm", d);
        }
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "decoder.layers." + i;
            attention(specs, p + ".self_attn", d);
            norm(specs, p + ".self_attn_norm", d);
            attention(specs, p + ".cross_attn", d);
            norm(specs, p + ".cross_attn_norm", d);
            feedForward(specs, p + ".ffn", d, config.dFF());
            norm(specs, p + ".ffn_norm", d);
        }
        if (config.norm() == Norm.PRE) {
            norm(specs, "decoder.norm", d);
        }
        if (config.tieEmbeddings() == TieEmbeddings.NONE) {
            specs.add(new ParameterSpec("generator.weight", Shape.of(config.tgtVocabSize(), d), Role.MATRIX));
        }
        return Collections.unmodifiableList(specs);
    }

    /** The number of learned values (tied matrices counted once). */
    public static long count(TransformerConfig config) {
        return of(config).stream().mapToLong(s -> s.shape().size()).sum();
    }

    private static void attention(List<ParameterSpec> specs, String prefix, int d) {
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            linear(specs, prefix + "." + proj, d, d);
        }
    }

    private static void feedForward(List<ParameterSpec> specs, String prefix, int d, int ff) {
        linear(specs, prefix + ".fc1", ff, d);
        linear(specs, prefix + ".fc2", d, ff);
    }

    private static void linear(List<ParameterSpec> specs, String prefix, int out, int in) {
        specs.add(new ParameterSpec(prefix + ".weight", Shape.of(out, in), Role.MATRIX));
        specs.add(new ParameterSpec(prefix + ".bias", Shape.of(out), Role.BIAS));
    }

    private static void norm(List<ParameterSpec> specs, String prefix, int d) {
        specs.add(new ParameterSpec(prefix + ".weight", Shape.of(d), Role.NORM_GAIN));
        specs.add(new ParameterSpec(prefix + ".bias", Shape.of(d), Role.NORM_BIAS));
    }
}
