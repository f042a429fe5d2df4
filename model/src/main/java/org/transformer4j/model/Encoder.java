package org.transformer4j.model;

import java.util.ArrayList;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Tensor;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.InputEmbedding;
import org.transformer4j.model.nn.LayerNorm;

/** The encoder stack: embeddings, N encoder layers, and in pre-norm a final layer norm. */
public final class Encoder {

    private final InputEmbedding embedding;
    private final List<EncoderLayer> layers;
    private final LayerNorm finalNorm;
    private final Backend backend;

    Encoder(Backend backend, InputEmbedding embedding, List<EncoderLayer> layers, LayerNorm finalNorm) {
        this.backend = backend;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
    }

    /**
     * @param output the encoder output {@code (B·S, d)}: the keys and values of every decoder layer's
     *               encoder-decoder attention ("memory")
     */
    public record Activations(TokenBatch source, AttentionMask sourceMask, InputEmbedding.Activations embedding,
            List<EncoderLayer.Activations> layers, LayerNormOutput finalNorm, Tensor output) {
    }

    public Activations forward(TokenBatch source, ForwardContext context) {
        AttentionMask mask = AttentionMask.padding(backend, source.lengths(), source.length());
        InputEmbedding.Activations e = embedding.forward(source.ids(), source.positions(), context);
        Tensor x = e.output(); // (B·S, d)
        List<EncoderLayer.Activations> acts = new ArrayList<>(layers.size());
        for (EncoderLayer layer : layers) {
            EncoderLayer.Activations a = layer.forward(x, source.batchSize(), source.length(), mask, context);
            acts.add(a);
            x = a.output();
        }
        LayerNormOutput norm = finalNorm == null ? null : finalNorm.forward(x);
        return new Activations(source, mask, e, acts, norm, norm == null ? x : norm.y());
    }

    /** Accumulates the gradients of every encoder parameter, given the gradient of the output. */
    public void backward(Activations a, Tensor dOutput) {
        Tensor d = dOutput;
        if (finalNorm != null) {
            Tensor lastLayerOutput = a.layers().getLast().output();
            d = finalNorm.backward(lastLayerOutput, a.finalNorm(), d);
            a.finalNorm().close();
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            Tensor next = layers.get(i).backward(a.layers().get(i), d);
            d.close();
            d = next;
        }
        embedding.backward(a.embedding(), d);
        d.close();
        a.embedding().output().close();
    }
}
