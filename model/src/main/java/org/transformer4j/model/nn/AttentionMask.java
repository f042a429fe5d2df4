package org.transformer4j.model.nn;

import java.util.Arrays;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

/**
 * One additive attention mask (0 keeps a position, −∞ removes it), shaped to broadcast over
 * {@code [B, heads, Tq, Tk]} scores: one type instead of PyTorch's nine mask arguments.
 */
public final class AttentionMask implements AutoCloseable {

    private final Tensor mask;

    private AttentionMask(Tensor mask) {
        this.mask = mask;
    }

    /**
     * Hides the padding of each sequence: key positions at or after {@code lengths[b]} are removed, for
     * every query. Shape {@code [B, 1, 1, keyLength]}.
     */
    public static AttentionMask padding(Backend backend, int[] lengths, int keyLength) {
        float[] m = new float[lengths.length * keyLength];
        for (int b = 0; b < lengths.length; b++) {
            Arrays.fill(m, b * keyLength + lengths[b], (b + 1) * keyLength, Float.NEGATIVE_INFINITY);
        }
        return new AttentionMask(backend.fromHost(m, Shape.of(lengths.length, 1, 1, keyLength)));
    }

    /**
     * Hides the future: query position i sees key positions 0..i only (the decoder's self-attention). Shape
     * {@code [1, 1, length, length]}.
     */
    public static AttentionMask causal(Backend backend, int length) {
        float[] m = new float[length * length];
        for (int i = 0; i < length; i++) {
            Arrays.fill(m, i * length + i + 1, (i + 1) * length, Float.NEGATIVE_INFINITY);
        }
        return new AttentionMask(backend.fromHost(m, Shape.of(1, 1, length, length)));
    }

    /** The mask tensor, for {@code Backend.softmax}. */
    public Tensor tensor() {
        return mask;
    }

    @Override
    public void close() {
        mask.close();
    }
}
