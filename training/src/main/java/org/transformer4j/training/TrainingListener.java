package org.transformer4j.training;

import java.nio.file.Path;

/**
 * What a training run reports while it runs. The command line draws its progress line from these; library
 * users may log them. Every method has an empty default.
 */
public interface TrainingListener {

    /** Before the first step: where the run starts and what it will run over. */
    default void started(RunInfo info) {
    }

    /** After every update. */
    default void stepped(StepStats stats) {
    }

    /** After every validation. */
    default void validated(ValidationStats stats) {
    }

    /** After a checkpoint was written. */
    default void checkpointed(long step, Path directory) {
    }

    /** A one-line remark worth showing (resuming, skipped data, early stop...). */
    default void note(String message) {
    }

    /** What a run starts from and aims at. */
    record RunInfo(long startStep, int startEpoch, long maxSteps, java.time.Duration maxTime, int epochs,
            int batchesPerEpoch, int accumulate, long parameters) {
    }

    /**
     * One update's figures.
     *
     * @param loss          label-smoothed cross-entropy per target token
     * @param perplexity    exp of the negative log-likelihood per token
     * @param accuracy      fraction of target tokens predicted right (argmax)
     * @param tokensPerSec  target tokens per second over this update
     * @param elapsed       training time of this run so far
     */
    record StepStats(long step, int epoch, double loss, double perplexity, double accuracy, double learningRate,
            double gradientNorm, int targetTokens, double tokensPerSec, java.time.Duration elapsed) {
    }

    /**
     * One validation's figures, with whether it is the best so far (by loss).
     *
     * @param bleu dev BLEU with greedy decoding, or NaN when this validation did not compute it
     */
    record ValidationStats(long step, double loss, double perplexity, double accuracy, int targetTokens, boolean best,
            double bleu) {
    }
}
