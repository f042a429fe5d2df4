package org.transformer4j.api;

/**
 * The result of {@link Backend#layerNormBackward}.
 *
 * @param dx     {@code x}'s shape
 * @param dgamma {@code [D]}
 * @param dbeta  {@code [D]}
 */
public record LayerNormGradients(Tensor dx, Tensor dgamma, Tensor dbeta) implements AutoCloseable {

    @Override
    public void close() {
        dx.close();
        dgamma.close();
        dbeta.close();
    }
}
