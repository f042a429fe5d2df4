package org.transformer4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.InputEmbedding;
import org.transformer4j.model.nn.LayerNorm;
import org.transformer4j.model.nn.MultiHeadAttention;

/** The decoder stack: embeddings, N decoder layers, and in pre-norm a final layer norm. */
public final class Decoder {

    private final InputEmbedding embedding;
    private final List<DecoderLayer> layers;
    private final LayerNorm finalNorm;
    private final Backend backend;

    Decoder(Backend backend, InputEmbedding embedding, List<DecoderLayer> layers, LayerNorm finalNorm) {
        this.backend = backend;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
    }

    /** @param output the decoder output {@code (B·T, d)}, input of the generator */
    public record Activations(TokenBatch target, AttentionMask causalMask, InputEmbedding.Activations embedding,
            List<DecoderLayer.Activations> layers, LayerNormOutput finalNorm, Tensor output) {
    }

    /** @param target the decoder input: {@code <bos>} followed by the target tokens, padded */
    public Activations forward(TokenBatch target, Encoder.Activations memory, ForwardContext context) {
        TokenBatch source = memory.source();
        if (source.batchSize() != target.batchSize()) {
            throw new IllegalArgumentException("the decoder got " + target.batchSize() + " sequences for "
                    + source.batchSize() + " encoded ones");
        }
        AttentionMask causal = AttentionMask.causal(backend, target.length());
        InputEmbedding.Activations e = embedding.forward(target.ids(), target.positions(), context);
        Tensor x = e.output(); // (B·T, d)
        List<DecoderLayer.Activations> acts = new ArrayList<>(layers.size());
        for (DecoderLayer layer : layers) {
            DecoderLayer.Activations a = layer.forward(x, memory.output(), target.batchSize(), target.length(),
                    source.length(), causal, memory.sourceMask(), context);
            acts.add(a);
            x = a.output();
        }
        LayerNormOutput norm = finalNorm == null ? null : finalNorm.forward(x);
        return new Activations(target, causal, e, acts, norm, norm == null ? x : norm.y());
    }

    /**
     * One incremental step: embeds {@code tokens} (one per row, all at {@code position}) and runs every layer
     * against the state's caches, which it replaces with the grown ones. Returns the decoder output
     * {@code (rows, d)} and, with {@code keepAttention}, the last layer's encoder-decoder attention weights;
     * everything else it made is freed.
     */
    DecoderState.Step step(int[] tokens, int position, DecoderState state, boolean keepAttention) {
        try (TensorScope scope = TensorScope.open()) {
            int[] positions = new int[tokens.length];
            Arrays.fill(positions, position);
            Tensor x = embedding.forward(tokens, positions, ForwardContext.inference()).output();
            Tensor cross = null;
            for (int i = 0; i < layers.size(); i++) {
                boolean last = i == layers.size() - 1;
                DecoderLayer.StepOutput out = layers.get(i).step(x, state.past(i), state.memory(i), state.sentences(),
                        state.group(), state.sourceMask(), keepAttention && last);
                state.replacePast(i, out.selfKeyValues());
                x = out.output();
                cross = out.crossWeights();
            }
            Tensor output = scope.keep(finalNorm == null ? x : finalNorm.forward(x).y());
            return new DecoderState.Step(output, cross == null ? null : scope.keep(cross));
        }
    }

    /** Every layer's encoder-decoder keys and values of the encoder output {@code (B·S, d)}. */
    List<MultiHeadAttention.KeyValues> memoryKeyValues(Tensor memory, int batch, int sourceLength) {
        List<MultiHeadAttention.KeyValues> kv = new ArrayList<>(layers.size());
        for (DecoderLayer layer : layers) {
            kv.add(layer.memoryKeyValues(memory, batch, sourceLength));
        }
        return kv;
    }

    int layerCount() {
        return layers.size();
    }

    /**
     * Accumulates the gradients of every decoder parameter and returns the gradient of the encoder output,
     * summed over all layers' encoder-decoder attention.
     */
    public Tensor backward(Activations a, Tensor dOutput, Tensor memory) {
        Tensor dMemory = backend.zeros(memory.shape());
        Tensor d = dOutput;
        if (finalNorm != null) {
            d = finalNorm.backward(a.layers().getLast().output(), a.finalNorm(), d);
            a.finalNorm().close();
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            Tensor next = layers.get(i).backward(a.layers().get(i), d, dMemory);
            d.close();
            d = next;
        }
        embedding.backward(a.embedding(), d);
        d.close();
        a.embedding().output().close();
        return dMemory;
    }
}
