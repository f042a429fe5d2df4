package org.transformer4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.Positional;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.model.nn.Embedding;
import org.transformer4j.model.nn.FeedForward;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.InputEmbedding;
import org.transformer4j.model.nn.LayerNorm;
import org.transformer4j.model.nn.Linear;
import org.transformer4j.model.nn.MultiHeadAttention;
import org.transformer4j.model.nn.Parameter;
import org.transformer4j.model.nn.PositionalEncoding;
import org.transformer4j.model.nn.SublayerConnection;

/**
 * The encoder-decoder Transformer (paper Figure 1): {@link #encode} the source once, {@link #decode} the
 * target prefix against it, and project the decoder output onto the target vocabulary with {@link #logits}
 * (the "final linear"; softmax or log-softmax is the caller's, fused with the loss when training).
 *
 * <p>Every pass is explicit, llm.c style: a forward method returns the activations its backward method needs,
 * and {@link #backward} walks the model in reverse, accumulating each {@link Parameter}'s gradient. Run
 * both inside one {@link org.transformer4j.api.TensorScope} to free the activations afterwards. The model
 * computes on the {@link Backend} interface only, so it runs unchanged on every backend.
 */
public final class Transformer implements AutoCloseable {

    private final Backend backend;
    private final TransformerConfig config;
    private final Map<String, Parameter> parameters;
    private final PositionalEncoding positions;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Linear generator;

    /**
     * Builds the model with parameter values from {@code source} (an initialiser, or a checkpoint), in the
     * order and shapes of {@link ParameterLayout#of}.
     */
    public Transformer(Backend backend, TransformerConfig config, ParameterSource source) {
        this.backend = backend;
        this.config = config;
        Map<String, Parameter> params = new LinkedHashMap<>();
        try {
            for (ParameterSpec spec : ParameterLayout.of(config)) {
                float[] values = source.values(spec);
                params.put(spec.name(), new Parameter(spec.name(), backend.fromHost(values, spec.shape())));
            }
        } catch (RuntimeException | Error e) {
            params.values().forEach(Parameter::close);
            throw e;
        }
        this.parameters = Collections.unmodifiableMap(params);
        this.positions = new PositionalEncoding(backend, config.dModel(), config.positional() == Positional.SINUSOIDAL_CONCAT);

        Parameter srcEmbed = parameters.get("src_embed.weight");
        Parameter tgtEmbed = config.tieEmbeddings() == TieEmbeddings.ALL ? srcEmbed : parameters.get("tgt_embed.weight");
        Parameter generatorWeight = config.tieEmbeddings() == TieEmbeddings.NONE ? parameters.get("generator.weight") : tgtEmbed;

        List<EncoderLayer> encoderLayers = new ArrayList<>();
        for (int i = 0; i < config.encoderLayers(); i++) {
            String p = "encoder.layers." + i;
            encoderLayers.add(new EncoderLayer(backend, attention(p + ".self_attn"), connection(p + ".self_attn_norm"),
                    feedForward(p + ".ffn"), connection(p + ".ffn_norm")));
        }
        this.encoder = new Encoder(backend, inputEmbedding(srcEmbed), encoderLayers, stackNorm("encoder.norm"));

        List<DecoderLayer> decoderLayers = new ArrayList<>();
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "decoder.layers." + i;
            decoderLayers.add(new DecoderLayer(backend, attention(p + ".self_attn"), connection(p + ".self_attn_norm"),
                    attention(p + ".cross_attn"), connection(p + ".cross_attn_norm"), feedForward(p + ".ffn"),
                    connection(p + ".ffn_norm")));
        }
        this.decoder = new Decoder(backend, inputEmbedding(tgtEmbed), decoderLayers, stackNorm("decoder.norm"));
        this.generator = new Linear(backend, generatorWeight, null);
    }

    /** A freshly initialised model: Xavier uniform matrices, zero biases, unit layer-norm gains, all from {@code seed}. */
    public static Transformer initialise(Backend backend, TransformerConfig config, long seed) {
        return new Transformer(backend, config, ParameterSource.initialiser(seed));
    }

    // ---------------------------------------------------------------- wiring

    private Parameter param(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalStateException("no parameter " + name + " in the layout");
        }
        return p;
    }

    private Linear linear(String prefix) {
        return new Linear(backend, param(prefix + ".weight"), param(prefix + ".bias"));
    }

    private MultiHeadAttention attention(String prefix) {
        return new MultiHeadAttention(backend, linear(prefix + ".q_proj"), linear(prefix + ".k_proj"),
                linear(prefix + ".v_proj"), linear(prefix + ".out_proj"), config.heads());
    }

    private FeedForward feedForward(String prefix) {
        return new FeedForward(backend, linear(prefix + ".fc1"), linear(prefix + ".fc2"));
    }

    private LayerNorm norm(String prefix) {
        return new LayerNorm(backend, param(prefix + ".weight"), param(prefix + ".bias"), config.layerNormEps());
    }

    private SublayerConnection connection(String normPrefix) {
        return new SublayerConnection(backend, norm(normPrefix), config.norm() == Norm.PRE, config.dropout());
    }

    private LayerNorm stackNorm(String prefix) {
        return config.norm() == Norm.PRE ? norm(prefix) : null;
    }

    private InputEmbedding inputEmbedding(Parameter table) {
        return new InputEmbedding(backend, new Embedding(backend, table), positions, config.dModel(), config.dropout());
    }

    // ---------------------------------------------------------------- passes

    /** Runs the encoder over a padded source batch. */
    public Encoder.Activations encode(TokenBatch source, ForwardContext context) {
        checkIds(source, config.srcVocabSize(), "source");
        return encoder.forward(source, context);
    }

    /** Runs the decoder over a padded target prefix ({@code <bos>} first) against an encoded source. */
    public Decoder.Activations decode(TokenBatch targetInput, Encoder.Activations memory, ForwardContext context) {
        checkIds(targetInput, config.tgtVocabSize(), "target");
        return decoder.forward(targetInput, memory, context);
    }

    /**
     * Starts incremental decoding: encodes {@code source} and computes every decoder layer's encoder-decoder
     * keys and values once; the encoder's activations are freed before this returns. Each sentence gets
     * {@code group} rows (1 for greedy decoding, the beam width for beam search).
     */
    public DecoderState startDecoding(TokenBatch source, int group) {
        checkIds(source, config.srcVocabSize(), "source");
        try (TensorScope scope = TensorScope.open()) {
            Encoder.Activations memory = encoder.forward(source, ForwardContext.inference());
            return new DecoderState(backend, decoder,
                    decoder.memoryKeyValues(memory.output(), source.batchSize(), source.length()), source.lengths(),
                    source.length(), group, config.tgtVocabSize());
        }
    }

    /** The final linear: {@code (B·T, d) → (B·T, tgt_vocab)} scores before the softmax. */
    public Tensor logits(Tensor decoderOutput) {
        return generator.forward(decoderOutput);
    }

    /** The final linear followed by log-softmax: log-probabilities of the next token {@code (B·T, tgt_vocab)}. */
    public Tensor logProbabilities(Tensor decoderOutput) {
        return backend.logSoftmax(logits(decoderOutput));
    }

    /** Everything one training step keeps from its forward pass. */
    public record Forward(Encoder.Activations encoder, Decoder.Activations decoder, Tensor logits) {
    }

    /** Encoder, decoder and final linear in one call (teacher forcing). */
    public Forward forward(TokenBatch source, TokenBatch targetInput, ForwardContext context) {
        Encoder.Activations enc = encode(source, context);
        Decoder.Activations dec = decode(targetInput, enc, context);
        return new Forward(enc, dec, logits(dec.output()));
    }

    /**
     * Accumulates the gradient of every parameter, given the gradient of the logits. The backward pass
     * consumes the forward one: each layer's activations are freed as soon as its gradients are computed, and
     * the logits and {@code dLogits} (the step's largest tensors) as soon as the final linear's are; the
     * {@link Forward} cannot be used afterwards.
     */
    public void backward(Forward f, Tensor dLogits) {
        Tensor dDecoderOutput = generator.backward(f.decoder().output(), dLogits);
        f.logits().close();
        dLogits.close();
        Tensor dMemory = decoder.backward(f.decoder(), dDecoderOutput, f.encoder().output());
        dDecoderOutput.close();
        encoder.backward(f.encoder(), dMemory);
        dMemory.close();
    }

    private static void checkIds(TokenBatch batch, int vocab, String side) {
        for (int i = 0; i < batch.ids().length; i++) {
            int id = batch.ids()[i];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException(side + " token id " + id + " (sequence " + i / batch.length()
                        + ", position " + i % batch.length() + ") is outside the vocabulary of " + vocab);
            }
        }
    }

    // ---------------------------------------------------------------- parameters

    public TransformerConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** Every parameter by checkpoint name, in checkpoint order; tied matrices appear once. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The number of learned values (tied matrices counted once). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** Drops every accumulated gradient. */
    public void zeroGradients() {
        parameters.values().forEach(Parameter::zeroGradient);
    }

    @Override
    public void close() {
        parameters.values().forEach(Parameter::close);
        positions.close();
    }
}
