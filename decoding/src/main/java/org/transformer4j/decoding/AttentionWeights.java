package org.transformer4j.decoding;

import java.util.List;

/**
 * Every attention weight of the model translating {@code source} into {@code target}, for inspection (the
 * pictures of "The Illustrated Transformer"): {@code [layer][head][query][key]}, each row summing to 1.
 *
 * @param sourceTokens        the source subwords (the encoder's positions)
 * @param decoderInputTokens  {@code <bos>} and the target subwords (the decoder's positions)
 * @param predictedTokens     what each decoder position predicts: the target subwords, then {@code <eos>}
 * @param encoderSelf         {@code [layers][heads][source][source]}
 * @param decoderSelf         {@code [layers][heads][target][target]}, zero above the diagonal (the future)
 * @param encoderDecoder      {@code [layers][heads][target][source]}: where each output position looked
 */
public record AttentionWeights(List<String> sourceTokens, List<String> decoderInputTokens, List<String> predictedTokens,
        float[][][][] encoderSelf, float[][][][] decoderSelf, float[][][][] encoderDecoder) {
}
