package org.transformer4j.spark.cli;

import org.transformer4j.decoding.search.DecodingOptions;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The search options of {@code t4j spark translate}, the same as {@code t4j translate}'s: a copy of the cli module's
 * {@code options.DecodingOptionsMixin}, held to it option by option by {@code MixinsInStepTest}. Values left unset come
 * from {@link DecodingOptions#defaults()}, or from {@link DecodingOptions#paper()} with {@code --paper}; the options
 * against loops come from {@link PenaltyOptionsMixin}.
 */
public final class DecodingOptionsMixin {

    @Option(names = "--beam", paramLabel = "K",
            description = "Beam size; 1 is greedy decoding (default: 4).")
    Integer beam;

    @Option(names = "--nbest", paramLabel = "N",
            description = "Translations per line, at most the beam size (or samples with --sample); more than 1 writes"
                    + " the n-best TSV (default: 1).")
    Integer nbest;

    @Option(names = "--length-penalty", paramLabel = "ALPHA",
            description = "GNMT length penalty: score = log P / ((5 + length) / 6)^ALPHA, length counting <eos>; 0 ranks"
                    + " by log-probability alone (default: 0.6).")
    Double lengthPenalty;

    @Option(names = "--max-len-a", paramLabel = "A",
            description = "Outputs stop at A * source tokens + B tokens (default: 1.2).")
    Double maxLenA;

    @Option(names = "--max-len-b", paramLabel = "B", description = "See --max-len-a (default: 10).")
    Integer maxLenB;

    @Option(names = "--paper",
            description = "The paper's settings (section 6.1): beam 4, length penalty 0.6, at most source length + 50"
                    + " tokens; explicit flags still win.")
    boolean paper;

    @Option(names = "--sample",
            description = "Sample each token instead of searching (--nbest samples per line).")
    boolean sample;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            description = "Sampling temperature: below 1 sharper, above 1 flatter (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
            description = "Sample among the K most probable tokens; 0: all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1",
            description = "Sample among the most probable tokens holding P of the probability (nucleus); 1: all"
                    + " (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Sampling seed; a line's samples do not depend on its batch (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-cache",
            description = "Recompute the whole prefix at every step instead of using the key/value cache (slower; for"
                    + " comparison).")
    boolean noCache;

    @Mixin
    PenaltyOptionsMixin penalties;

    public DecodingOptions toOptions() {
        DecodingOptions base = paper ? DecodingOptions.paper() : DecodingOptions.defaults();
        int k = beam != null ? beam : base.beamSize();
        int n = nbest != null ? nbest : 1;
        DecodingOptions o = new DecodingOptions(k, n, lengthPenalty != null ? lengthPenalty : base.lengthPenalty(),
                maxLenA != null ? maxLenA : base.maxLengthA(), maxLenB != null ? maxLenB : base.maxLengthB(), false,
                1f, 0, 1f, seed, !noCache);
        if (sample) {
            o = o.withSampling(n, temperature, topK, topP, seed);
            o.search(); // validates the sampling values now, as a usage error
        }
        return penalties.applyTo(o);
    }
}
