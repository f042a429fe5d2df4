package org.transformer4j.api;

/**
 * The result of {@link Backend#crossEntropy} and {@link Backend#crossEntropyWithGradient}.
 *
 * @param loss per-row label-smoothed cross-entropy {@code [N]} (0 on ignored rows)
 * @param nll  per-row negative log-likelihood of the target {@code [N]} (0 on ignored rows), for perplexity
 * @param grad the scaled gradient with respect to the logits {@code [N, V]}, or null when not asked for
 */
public record CrossEntropyOutput(Tensor loss, Tensor nll, Tensor grad) implements AutoCloseable {

    @Override
    public void close() {
        loss.close();
        nll.close();
        if (grad != null) {
            grad.close();
        }
    }
}
