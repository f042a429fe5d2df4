package org.transformer4j.training;

import java.time.Duration;

/**
 * How a training run ended.
 *
 * @param reason        why it stopped
 * @param steps         total updates (this run and earlier ones)
 * @param bestValidLoss the best validation loss per token, or NaN without validation
 */
public record TrainingResult(StopReason reason, long steps, int epochs, double bestValidLoss, long bestStep,
        Duration elapsed) {

    /** Why training stopped. */
    public enum StopReason {
        MAX_STEPS("reached --max-steps"),
        MAX_TIME("reached --max-time"),
        EPOCHS("completed --epochs"),
        EARLY_STOPPING("validation loss stopped improving (--patience)"),
        INTERRUPTED("interrupted; a checkpoint was written");

        private final String description;

        StopReason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
