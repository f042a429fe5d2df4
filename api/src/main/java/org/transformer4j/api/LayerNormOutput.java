package org.transformer4j.api;

/**
 * The result of {@link Backend#layerNorm}: the normalised output and the per-row statistics the backward
 * pass needs (llm.c's {@code layernorm_forward(out, mean, rstd, ...)}).
 *
 * @param y    {@code x}'s shape
 * @param mean {@code x}'s shape without the last axis
 * @param rstd {@code 1 / sqrt(var + eps)}, same shape as {@code mean}
 */
public record LayerNormOutput(Tensor y, Tensor mean, Tensor rstd) implements AutoCloseable {

    @Override
    public void close() {
        y.close();
        mean.close();
        rstd.close();
    }
}
