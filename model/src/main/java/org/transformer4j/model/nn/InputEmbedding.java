package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/**
 * The bottom of each stack (paper section 3.4-3.5): token embeddings multiplied by {@code sqrt(d_model)},
 * plus the positional encodings, then dropout.
 */
public final class InputEmbedding {

    private final Backend backend;
    private final Embedding embedding;
    private final PositionalEncoding positions;
    private final float scale;
    private final float dropout;

    public InputEmbedding(Backend backend, Embedding embedding, PositionalEncoding positions, int dModel, float dropout) {
        this.backend = backend;
        this.embedding = embedding;
        this.positions = positions;
        this.scale = (float) Math.sqrt(dModel);
        this.dropout = dropout;
    }

    /** @param output {@code (ids.length, d)} */
    public record Activations(int[] ids, float p, long seed, Tensor output) {
    }

    /** Embeds {@code ids} found at {@code positionIds} (one position per id). */
    public Activations forward(int[] ids, int[] positionIds, ForwardContext context) {
        Tensor rows = embedding.forward(ids);
        Tensor x = backend.scale(rows, scale);
        rows.close();
        Tensor pe = positions.rows(positionIds);
        backend.addInPlace(x, pe, 1f);
        pe.close();
        float p = context.dropout(dropout);
        long seed = context.nextSeed();
        if (p == 0) {
            return new Activations(ids, p, seed, x);
        }
        Tensor dropped = backend.dropout(x, p, seed);
        x.close();
        return new Activations(ids, p, seed, dropped);
    }

    public void backward(Activations a, Tensor dOutput) {
        Tensor d = a.p() > 0 ? backend.dropout(dOutput, a.p(), a.seed()) : dOutput;
        embedding.backward(a.ids(), backend.scale(d, scale));
    }
}
