package org.transformer4j.decoding.search;

/**
 * How to decode. {@link #defaults()}: beam search with 4 hypotheses, GNMT length penalty 0.6, outputs of at most
 * {@code 1.2 · source + 10} tokens, the key/value cache on, no penalty against loops. {@link #paper()}: the settings of "Attention Is All
 * You Need" (section 6.1): beam 4, length penalty 0.6, at most {@code source + 50} tokens.
 *
 * @param beamSize         hypotheses per sentence; 1 is greedy decoding
 * @param nbest            outputs per sentence, at most {@code beamSize} (or the number of samples)
 * @param lengthPenalty    α of the GNMT length penalty, see {@link LengthPenalty}
 * @param maxLengthA       outputs stop at {@code a · sourceTokens + b} tokens before {@code <eos>}
 * @param maxLengthB       (fairseq's {@code --max-len-a}/{@code --max-len-b})
 * @param sampling         draw tokens instead of searching; {@code nbest} samples per sentence
 * @param temperature      sampling temperature
 * @param topK             sampling: keep the k most probable tokens (0: all)
 * @param topP             sampling: keep the smallest set of tokens with this much probability (1: all)
 * @param seed             sampling seed
 * @param cache            incremental decoding with the key/value cache (off: recompute the prefix each step)
 * @param noRepeatNgram    no output repeats an n-gram of this size (0: off), see {@link NoRepeatNgram}
 * @param repetitionPenalty logits of tokens already in the output are divided (positive) or multiplied (negative)
 *                         by it (1: off), see {@link RepetitionPenalty}
 * @param coveragePenalty  β of GNMT's coverage penalty, beam search only (0: off), see {@link CoveragePenalty}
 *
 * <p>Serializable, so that a distributed job (the Spark jobs) can send the options to its workers.
 */
public record DecodingOptions(int beamSize, int nbest, double lengthPenalty, double maxLengthA, int maxLengthB,
        boolean sampling, float temperature, int topK, float topP, long seed, boolean cache, int noRepeatNgram,
        double repetitionPenalty, double coveragePenalty) implements java.io.Serializable {

    /** The options without the penalties against loops (all off). */
    public DecodingOptions(int beamSize, int nbest, double lengthPenalty, double maxLengthA, int maxLengthB,
            boolean sampling, float temperature, int topK, float topP, long seed, boolean cache) {
        this(beamSize, nbest, lengthPenalty, maxLengthA, maxLengthB, sampling, temperature, topK, topP, seed, cache, 0, 1,
                0);
    }

    public DecodingOptions {
        if (beamSize < 1) {
            throw new IllegalArgumentException("--beam must be at least 1, not " + beamSize);
        }
        if (nbest < 1 || !sampling && nbest > beamSize) {
            throw new IllegalArgumentException("--nbest must be between 1 and the beam size " + beamSize + ", not " + nbest);
        }
        if (!(maxLengthA >= 0) || maxLengthB < 0) {
            throw new IllegalArgumentException("--max-len-a and --max-len-b must not be negative");
        }
        new LengthPenalty(lengthPenalty); // validates
        new TokenPenalties(noRepeatNgram, repetitionPenalty); // validates
        if (new CoveragePenalty(coveragePenalty).active() && (sampling || beamSize < 2)) {
            throw new IllegalArgumentException("--coverage-penalty ranks the finished hypotheses of a beam search: it"
                    + " needs --beam 2 or more" + (sampling ? ", not --sample" : ""));
        }
    }

    public static DecodingOptions defaults() {
        return new DecodingOptions(4, 1, 0.6, 1.2, 10, false, 1f, 0, 1f, 1, true);
    }

    /** The paper's decoding: beam 4, length penalty 0.6, maximum output length = source length + 50. */
    public static DecodingOptions paper() {
        return new DecodingOptions(4, 1, 0.6, 1, 50, false, 1f, 0, 1f, 1, true);
    }

    public static DecodingOptions greedy() {
        return defaults().withBeam(1, 1);
    }

    public DecodingOptions withBeam(int beam, int nbest) {
        return new DecodingOptions(beam, nbest, lengthPenalty, maxLengthA, maxLengthB, false, temperature, topK, topP,
                seed, cache, noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    public DecodingOptions withLengthPenalty(double alpha) {
        return new DecodingOptions(beamSize, nbest, alpha, maxLengthA, maxLengthB, sampling, temperature, topK, topP,
                seed, cache, noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    public DecodingOptions withMaxLength(double a, int b) {
        return new DecodingOptions(beamSize, nbest, lengthPenalty, a, b, sampling, temperature, topK, topP, seed, cache,
                noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    public DecodingOptions withSampling(int samples, float temperature, int topK, float topP, long seed) {
        return new DecodingOptions(1, samples, lengthPenalty, maxLengthA, maxLengthB, true, temperature, topK, topP,
                seed, cache, noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    public DecodingOptions withCache(boolean on) {
        return new DecodingOptions(beamSize, nbest, lengthPenalty, maxLengthA, maxLengthB, sampling, temperature, topK,
                topP, seed, on, noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    /**
     * These options with the penalties against loops: no repeated n-gram of {@code noRepeatNgram} tokens (0: off),
     * the {@code repetitionPenalty} (1: off) and the {@code coveragePenalty} β (0: off; beam search only).
     */
    public DecodingOptions withPenalties(int noRepeatNgram, double repetitionPenalty, double coveragePenalty) {
        return new DecodingOptions(beamSize, nbest, lengthPenalty, maxLengthA, maxLengthB, sampling, temperature, topK,
                topP, seed, cache, noRepeatNgram, repetitionPenalty, coveragePenalty);
    }

    public LengthPenalty penalty() {
        return new LengthPenalty(lengthPenalty);
    }

    /** The penalties that reshape each step's distribution (no repeated n-gram, repetition penalty). */
    public TokenPenalties tokenPenalties() {
        return new TokenPenalties(noRepeatNgram, repetitionPenalty);
    }

    public CoveragePenalty coverage() {
        return new CoveragePenalty(coveragePenalty);
    }

    /** The search these options describe: sampling, greedy decoding (beam 1), or beam search. */
    public Search search() {
        if (sampling) {
            return new SamplingSearch(nbest, temperature, topK, topP, seed, penalty());
        }
        return beamSize == 1 ? new GreedySearch(penalty()) : new BeamSearch(beamSize, nbest, penalty(), coverage(), null);
    }

    /** The most output tokens (before {@code <eos>}) for a source of {@code sourceTokens}. */
    public int maxLength(int sourceTokens) {
        return (int) Math.floor(maxLengthA * sourceTokens) + maxLengthB;
    }
}
