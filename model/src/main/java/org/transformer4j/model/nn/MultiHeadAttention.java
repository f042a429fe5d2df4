package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/**
 * Multi-head scaled dot-product attention (paper section 3.2): per head {@code Q = X·W^Q}, {@code K = Y·W^K},
 * {@code V = Y·W^V}, {@code softmax(Q·Kᵀ / sqrt(d_k) + mask)·V}; the heads are concatenated and multiplied
 * by {@code W^O}. Self-attention passes the same rows as queries and keys/values; encoder-decoder attention
 * passes the decoder's rows as queries and the encoder output as keys/values.
 *
 * <p>Hidden states are 2-D, {@code (B·T, d)}; heads are split into {@code (B, H, T, d_k)} only here.
 */
public final class MultiHeadAttention {

    private final Backend backend;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final int heads;
    private final int headDim;

    public MultiHeadAttention(Backend backend, Linear query, Linear key, Linear value, Linear output, int heads) {
        this.backend = backend;
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.heads = heads;
        this.headDim = query.weight().shape().dim(0) / heads;
    }

    /**
     * What the forward pass keeps for the backward pass, and the attention weights for inspection.
     *
     * @param probs   attention weights {@code (B, H, Tq, Tk)}, each row summing to 1 over unmasked keys
     * @param output  the result {@code (B·Tq, d)}
     */
    public record Activations(Tensor queryInput, Tensor keyValueInput, Tensor q, Tensor k, Tensor v, Tensor probs,
            Tensor context, Tensor output, int batch, int queryLength, int keyLength) {

        /** Frees what this attention created (not its inputs), once its backward pass is done. */
        public void release() {
            q.close();
            k.close();
            v.close();
            probs.close();
            context.close();
            output.close();
        }
    }

    /** Gradients with respect to the query rows and the key/value rows (one tensor each, not yet summed). */
    public record Gradients(Tensor queryInput, Tensor keyValueInput) {
    }

    /**
     * @param queryInput    {@code (B·Tq, d)}
     * @param keyValueInput {@code (B·Tk, d)}; the same tensor as {@code queryInput} for self-attention
     * @param mask          broadcastable to {@code (B, H, Tq, Tk)}, or null
     */
    public Activations forward(Tensor queryInput, Tensor keyValueInput, int batch, int queryLength, int keyLength,
            AttentionMask mask) {
        Tensor q = splitHeads(query.forward(queryInput), batch, queryLength);   // (B, H, Tq, dk)
        Tensor k = splitHeads(key.forward(keyValueInput), batch, keyLength);    // (B, H, Tk, dk)
        Tensor v = splitHeads(value.forward(keyValueInput), batch, keyLength);  // (B, H, Tk, dk)
        Tensor scores = backend.matmul(q, k, false, true);                      // (B, H, Tq, Tk)
        Tensor probs = backend.softmax(scores, scale(), mask == null ? null : mask.tensor());
        scores.close();
        Tensor heads = backend.matmul(probs, v, false, false);                  // (B, H, Tq, dk)
        Tensor context = mergeHeads(heads, batch, queryLength);                 // (B·Tq, d)
        heads.close();
        Tensor out = output.forward(context);
        return new Activations(queryInput, keyValueInput, q, k, v, probs, context, out, batch, queryLength, keyLength);
    }

    public Gradients backward(Activations a, Tensor dOut) {
        Tensor dContext = splitHeads(output.backward(a.context(), dOut), a.batch(), a.queryLength()); // (B, H, Tq, dk)
        Tensor dProbs = backend.matmul(dContext, a.v(), false, true);        // (B, H, Tq, Tk)
        Tensor dV = backend.matmul(a.probs(), dContext, true, false);        // (B, H, Tk, dk)
        Tensor dScores = backend.softmaxBackward(a.probs(), dProbs, scale()); // (B, H, Tq, Tk), scale included
        Tensor dQ = backend.matmul(dScores, a.k(), false, false);            // (B, H, Tq, dk)
        Tensor dK = backend.matmul(dScores, a.q(), true, false);             // (B, H, Tk, dk)
        Tensor dQueryInput = query.backward(a.queryInput(), mergeHeads(dQ, a.batch(), a.queryLength()));
        Tensor dKeyValueInput = key.backward(a.keyValueInput(), mergeHeads(dK, a.batch(), a.keyLength()));
        backend.addInPlace(dKeyValueInput, value.backward(a.keyValueInput(), mergeHeads(dV, a.batch(), a.keyLength())), 1f);
        return new Gradients(dQueryInput, dKeyValueInput);
    }

    // ---------------------------------------------------------------- inference with precomputed keys and values

    /**
     * Keys and values split into heads, {@code (B, H, T, d_k)} each: the encoder output's, computed once per
     * decoded batch, or the decoder's own past positions, grown by one position per step.
     */
    public record KeyValues(Tensor keys, Tensor values) implements AutoCloseable {

        /** The number of key positions. */
        public int length() {
            return keys.shape().dim(2);
        }

        @Override
        public void close() {
            keys.close();
            values.close();
        }
    }

    /** Projects {@code input} {@code (B·T, d)} to this attention's keys and values. */
    public KeyValues keyValues(Tensor input, int batch, int length) {
        return new KeyValues(splitHeads(key.forward(input), batch, length), splitHeads(value.forward(input), batch, length));
    }

    /** {@code past} with {@code next}'s positions appended (new tensors; neither argument is closed). */
    public KeyValues append(KeyValues past, KeyValues next) {
        return new KeyValues(backend.concat(past.keys(), next.keys(), 2), backend.concat(past.values(), next.values(), 2));
    }

    /**
     * The output of the attention and its weights.
     *
     * @param output  {@code (B·Tq, d)}
     * @param weights {@code (B, H, Tq, Tk)}
     */
    public record Attended(Tensor output, Tensor weights) {
    }

    /**
     * Attention of {@code queryInput} {@code (B·Tq, d)} to precomputed keys and values: the same arithmetic as
     * {@link #forward}, without keeping anything for a backward pass. The {@code Tq} query rows of a sequence
     * may be positions of one sequence or, in beam search, one position of each of the {@code Tq} hypotheses
     * that share that sequence's source: their keys and values are stored once, not once per hypothesis.
     */
    public Attended attend(Tensor queryInput, KeyValues kv, int batch, int queryLength, AttentionMask mask) {
        Tensor q = splitHeads(query.forward(queryInput), batch, queryLength);   // (B, H, Tq, dk)
        Tensor scores = backend.matmul(q, kv.keys(), false, true);              // (B, H, Tq, Tk)
        q.close();
        Tensor probs = backend.softmax(scores, scale(), mask == null ? null : mask.tensor());
        scores.close();
        Tensor heads = backend.matmul(probs, kv.values(), false, false);        // (B, H, Tq, dk)
        Tensor context = mergeHeads(heads, batch, queryLength);                 // (B·Tq, d)
        heads.close();
        Tensor out = output.forward(context);
        context.close();
        return new Attended(out, probs);
    }

    /** 1 / sqrt(d_k): keeps the dot products from growing with the head width. */
    private float scale() {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /** (B·T, H·dk) → (B, H, T, dk), a copy; {@code x} is closed. */
    private Tensor splitHeads(Tensor x, int batch, int length) {
        Tensor view = x.reshape(batch, length, heads, headDim);
        Tensor split = backend.permute(view, 0, 2, 1, 3);
        view.close();
        x.close();
        return split;
    }

    /** (B, H, T, dk) → (B·T, H·dk), a copy. */
    private Tensor mergeHeads(Tensor x, int batch, int length) {
        Tensor permuted = backend.permute(x, 0, 2, 1, 3);
        Tensor merged = permuted.reshape(batch * length, heads * headDim);
        permuted.close(); // the view keeps the storage
        return merged;
    }
}
