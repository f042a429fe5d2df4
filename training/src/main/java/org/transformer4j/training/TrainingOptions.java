package org.transformer4j.training;

import java.time.Duration;
import java.util.Locale;

import org.transformer4j.training.optim.BudgetSchedule;
import org.transformer4j.training.optim.LearningRateSchedule;
import org.transformer4j.training.optim.NoamSchedule;

/**
 * How to train: the paper's recipe by default (section 5), every value configurable.
 *
 * @param batchTokens        tokens per batch, padding included (sentences × longest side); paper: about 25000
 * @param accumulate         batches whose gradients are summed before one update
 * @param labelSmoothing     ε_ls, the mass spread uniformly over the vocabulary (paper: 0.1)
 * @param lrFactor           the schedule's factor (paper: 1)
 * @param warmup             warm-up steps of the schedule (paper: 4000)
 * @param beta1              Adam β1 (0.9)
 * @param beta2              Adam β2 (0.98)
 * @param epsilon            Adam ε (1e-9)
 * @param clipNorm           clip the global gradient norm to this; 0 for no clipping
 * @param maxSteps           stop after this many updates in total; 0 for no limit
 * @param maxTime            stop after this much training time in this run; null for no limit
 * @param epochs             stop after this many passes over the data in total; 0 for no limit
 * @param seed               seeds batching, dropout and (for a new model) initialisation
 * @param validEvery         validate every this many updates (and at the end); 0 for never
 * @param checkpointEvery    checkpoint every this many updates (and at the end)
 * @param keepCheckpoints    keep the last K checkpoints (plus the best)
 * @param patience           stop after this many validations without improvement; 0 to never stop early
 * @param maxLength          skip pairs with a side longer than this many tokens
 * @param schedule           the learning-rate schedule: the paper's ({@code NOAM}, with {@code lrFactor}), or warm-up
 *                           to {@code peakLr} and decay to zero at the end of the budget ({@code LINEAR}, {@code COSINE})
 * @param peakLr             the peak rate of the budget schedules (unused by {@code NOAM})
 * @param cooldown           the budget schedules' final share of the budget in which the rate decays to zero: 1 decays
 *                           from the end of warm-up, 0.2 holds the peak and decays in the last fifth
 * @param ema                decay of an exponential moving average of the weights used for validation, dev BLEU and
 *                           the saved model (e.g. 0.999); 0 for none
 */
public record TrainingOptions(
        int batchTokens,
        int accumulate,
        float labelSmoothing,
        double lrFactor,
        int warmup,
        float beta1,
        float beta2,
        float epsilon,
        float clipNorm,
        long maxSteps,
        Duration maxTime,
        int epochs,
        long seed,
        int validEvery,
        int checkpointEvery,
        int keepCheckpoints,
        int patience,
        int maxLength,
        Schedule schedule,
        double peakLr,
        double cooldown,
        double ema) {

    /** The learning-rate schedules; see {@link #learningRate(int)}. */
    public enum Schedule {
        NOAM, LINEAR, COSINE;

        /** {@code noam}, {@code linear} or {@code cosine}, as the command line spells them. */
        public static Schedule of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "': noam, linear or cosine");
            }
        }
    }

    /** The paper's schedule ({@code NOAM}) and no weight averaging: the options as they were before either existed. */
    public TrainingOptions(int batchTokens, int accumulate, float labelSmoothing, double lrFactor, int warmup, float beta1,
            float beta2, float epsilon, float clipNorm, long maxSteps, Duration maxTime, int epochs, long seed,
            int validEvery, int checkpointEvery, int keepCheckpoints, int patience, int maxLength) {
        this(batchTokens, accumulate, labelSmoothing, lrFactor, warmup, beta1, beta2, epsilon, clipNorm, maxSteps, maxTime,
                epochs, seed, validEvery, checkpointEvery, keepCheckpoints, patience, maxLength, Schedule.NOAM, 1e-3, 1, 0);
    }

    public TrainingOptions {
        require(batchTokens > 0, "batch tokens must be positive");
        require(accumulate > 0, "accumulate must be at least 1");
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)");
        require(lrFactor > 0 && warmup > 0, "the learning-rate factor and warm-up must be positive");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0, "Adam needs betas in [0, 1) and epsilon > 0");
        require(clipNorm >= 0, "the clipping norm must be 0 (off) or positive");
        require(maxSteps >= 0 && epochs >= 0 && validEvery >= 0 && patience >= 0, "limits must not be negative");
        require(maxSteps > 0 || maxTime != null || epochs > 0, "give a limit: --max-steps, --max-time or --epochs");
        require(checkpointEvery > 0 && keepCheckpoints > 0, "checkpoint-every and keep-checkpoints must be positive");
        require(maxLength > 0, "max length must be positive");
        require(schedule != null, "give a learning-rate schedule");
        require(peakLr > 0 && peakLr < 1, "the peak learning rate must be in (0, 1)");
        require(cooldown > 0 && cooldown <= 1, "the cooldown must be a share of the budget in (0, 1]");
        require(ema == 0 || ema > 0 && ema < 1, "the weight-averaging decay must be 0 (off) or in (0, 1)");
    }

    /** The learning-rate schedule of a model of width {@code dModel}. */
    public LearningRateSchedule learningRate(int dModel) {
        return switch (schedule) {
            case NOAM -> new NoamSchedule(lrFactor, dModel, warmup);
            case LINEAR -> new BudgetSchedule(BudgetSchedule.Shape.LINEAR, peakLr, warmup, cooldown);
            case COSINE -> new BudgetSchedule(BudgetSchedule.Shape.COSINE, peakLr, warmup, cooldown);
        };
    }

    /** These options with another learning-rate schedule: {@code peakLr} is the top of the budget schedules. */
    public TrainingOptions withSchedule(Schedule newSchedule, double newPeakLr) {
        return new TrainingOptions(batchTokens, accumulate, labelSmoothing, lrFactor, warmup, beta1, beta2, epsilon,
                clipNorm, maxSteps, maxTime, epochs, seed, validEvery, checkpointEvery, keepCheckpoints, patience, maxLength,
                newSchedule, newPeakLr, cooldown, ema);
    }

    /** These options with another cooldown share for the budget schedules. */
    public TrainingOptions withCooldown(double share) {
        return new TrainingOptions(batchTokens, accumulate, labelSmoothing, lrFactor, warmup, beta1, beta2, epsilon,
                clipNorm, maxSteps, maxTime, epochs, seed, validEvery, checkpointEvery, keepCheckpoints, patience, maxLength,
                schedule, peakLr, share, ema);
    }

    /** These options with an exponential moving average of the weights ({@code decay} 0 for none). */
    public TrainingOptions withEma(double decay) {
        return new TrainingOptions(batchTokens, accumulate, labelSmoothing, lrFactor, warmup, beta1, beta2, epsilon,
                clipNorm, maxSteps, maxTime, epochs, seed, validEvery, checkpointEvery, keepCheckpoints, patience, maxLength,
                schedule, peakLr, cooldown, decay);
    }

    /** The paper's recipe with a budget of {@code maxSteps} updates and cpu-sized batches. */
    public static TrainingOptions defaults(long maxSteps) {
        return new TrainingOptions(4096, 1, 0.1f, 1.0, 4000, 0.9f, 0.98f, 1e-9f, 0f, maxSteps, null, 0, 1, 500, 1000, 5,
                0, 256);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid training options: " + message);
        }
    }
}
