package org.transformer4j.training;

import java.nio.file.Path;
import java.util.List;

/**
 * A training run as {@code metrics.jsonl} tells it, ready to plot: what {@link MetricsFile#read} returns.
 *
 * @param modelDirectory the run's model directory
 * @param train          one point per update, in step order
 * @param valid          one point per validation, in step order
 * @param checkpoints    the steps of the checkpoints in {@code checkpoints/}, ascending
 * @param bestStep       the step of the best validation so far, or -1 when none was run
 * @param warning        null, or why the file was read only in part (a torn last line: a run still writing)
 */
public record TrainingCurves(Path modelDirectory, List<TrainPoint> train, List<ValidPoint> valid, List<Long> checkpoints,
        long bestStep, String warning) {

    public TrainingCurves {
        train = List.copyOf(train);
        valid = List.copyOf(valid);
        checkpoints = List.copyOf(checkpoints);
    }

    /**
     * One update. {@code elapsedSeconds} is wall-clock training time summed over the runs that continued this
     * model (each run's own clock starts at 0; the reader adds up the runs before it).
     */
    public record TrainPoint(long step, int epoch, double loss, double perplexity, double accuracy, double learningRate,
            double gradientNorm, long tokens, double tokensPerSecond, double elapsedSeconds) {
    }

    /**
     * One validation; {@code bleu} is NaN when it was not computed; {@code elapsedSeconds} is that of the update
     * of its step (NaN when none was logged).
     */
    public record ValidPoint(long step, double loss, double perplexity, double accuracy, double bleu, boolean best,
            double elapsedSeconds) {
    }
}
