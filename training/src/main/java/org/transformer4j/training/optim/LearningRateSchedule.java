package org.transformer4j.training.optim;

/**
 * A learning rate per update. {@code progress} is the fraction of the run's budget already spent (steps, time or
 * epochs, whichever is nearest its limit), so that a schedule can end at zero exactly when the budget does;
 * {@code cycleStep} counts the updates of the current cycle from 1 (see {@link BudgetSchedule}).
 */
public interface LearningRateSchedule {

    /**
     * @param step      the 1-based update of the whole training
     * @param cycleStep the 1-based update of the current cycle (equal to {@code step} for one cycle)
     * @param progress  the budget spent so far, in [0, 1]
     */
    double rate(long step, long cycleStep, double progress);

    /**
     * The rate when the budget's progress at the end of warm-up is known ({@code warmupProgress}); schedules that
     * decay from the end of warm-up use it, the others need not.
     */
    default double rate(long step, long cycleStep, double progress, double warmupProgress) {
        return rate(step, cycleStep, progress);
    }
}
