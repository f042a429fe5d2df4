package org.transformer4j.cli.options;

import org.transformer4j.decoding.search.DecodingOptions;

import picocli.CommandLine.Option;

/**
 * The options against loops, shared by {@code translate} (through {@link DecodingOptionsMixin}), {@code illustrate}
 * and {@code score}, so that {@code score} reproduces what the others report under the same flags. All off by default.
 * {@code t4j spark translate} has a copy (spark's {@code cli.PenaltyOptionsMixin}), held to this one by spark's
 * {@code MixinsInStepTest}.
 */
public final class PenaltyOptionsMixin {

    @Option(names = "--no-repeat-ngram", paramLabel = "N", defaultValue = "0",
            description = "No output repeats an n-gram of N tokens: a token that would complete one already in the output"
                    + " gets probability 0 (fairseq, CTranslate2); 0: off (default: ${DEFAULT-VALUE}).")
    int noRepeatNgram;

    @Option(names = "--repetition-penalty", paramLabel = "P", defaultValue = "1",
            description = "The logit of each token already in the output is divided by P if positive, multiplied by P if"
                    + " negative, before the softmax (CTranslate2, Hugging Face); above 1 discourages repeats; 1: off"
                    + " (default: ${DEFAULT-VALUE}).")
    double repetitionPenalty;

    @Option(names = "--coverage-penalty", paramLabel = "BETA", defaultValue = "0",
            description = "Beam search: add BETA * sum over source tokens of log(min(attention received, 1)) to the score of"
                    + " each finished translation (GNMT, OpenNMT's 'wu'), which penalises leaving source unread; 0: off"
                    + " (default: ${DEFAULT-VALUE}).")
    double coveragePenalty;

    /** {@code options} with these penalties; throws IllegalArgumentException for a value that cannot work. */
    public DecodingOptions applyTo(DecodingOptions options) {
        return options.withPenalties(noRepeatNgram, repetitionPenalty, coveragePenalty);
    }
}
