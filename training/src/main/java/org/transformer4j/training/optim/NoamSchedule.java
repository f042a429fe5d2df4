package org.transformer4j.training.optim;

/**
 * The learning-rate schedule of the paper (section 5.3):
 * {@code lr = factor · d_model^−0.5 · min(step^−0.5, step · warmup^−1.5)}: linear warm-up for {@code warmup}
 * steps, then decay with the inverse square root of the step. The paper uses factor 1 and warmup 4000.
 */
public record NoamSchedule(double factor, int dModel, int warmup) implements LearningRateSchedule {

    public NoamSchedule {
        if (!(factor > 0) || dModel < 1 || warmup < 1) {
            throw new IllegalArgumentException("the schedule needs factor > 0, d_model ≥ 1 and warmup ≥ 1");
        }
    }

    /** The learning rate of the 1-based {@code step}. */
    public double rate(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1, got " + step);
        }
        return factor * Math.pow(dModel, -0.5) * Math.min(Math.pow(step, -0.5), step * Math.pow(warmup, -1.5));
    }

    /** The paper's schedule ignores the budget: it depends on the update count alone. */
    @Override
    public double rate(long step, long cycleStep, double progress) {
        return rate(step);
    }
}
