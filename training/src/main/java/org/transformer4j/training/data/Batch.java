package org.transformer4j.training.data;

import org.transformer4j.model.TokenBatch;

/**
 * One training batch, ready for teacher forcing: the padded sources, the decoder input ({@code <bos>} +
 * target) and the labels the decoder must predict (target + {@code <eos>}, padding elsewhere).
 *
 * @param labels       row-major {@code (B, T)}, the padding id where there is no token
 * @param targetTokens labels that are not padding: the tokens the loss is averaged over
 */
public record Batch(TokenBatch source, TokenBatch targetInput, int[] labels, int targetTokens) {

    public int sentences() {
        return source.batchSize();
    }

    public int sourceTokens() {
        return source.tokens();
    }
}
