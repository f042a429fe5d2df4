package org.transformer4j.training.optim;

/**
 * A schedule tied to the run's budget, as Hugging Face's {@code get_linear_schedule_with_warmup} and
 * {@code get_cosine_schedule_with_warmup} define it for steps: linear warm-up to {@code peak} over {@code warmup}
 * updates, then decay to zero exactly when the budget ends, linearly or along a half cosine. With the budget's
 * progress {@code p} and its value {@code p_w} at the end of warm-up, {@code q = (p − p_w) / (1 − p_w)} and
 * {@code lr = peak · decay(q)}, {@code decay(q) = 1 − q} (linear) or {@code (1 + cos πq) / 2} (cosine). Progress,
 * not steps, so that a budget of minutes ends at zero as exactly as a budget of steps.
 *
 * <p>Why: with a fixed budget (minutes of CPU, not a number of epochs) the paper's inverse square root leaves the
 * rate high when time runs out, and the last updates are noisy. Ending at zero ("one-cycle"; the "Cramming" paper
 * found it the best of the schedules it tried for a single day of training) lets the last stretch settle, which
 * the dev set rewards; see docs/training.md for the measurements that chose it.
 */
public record BudgetSchedule(Shape shape, double peak, int warmup) implements LearningRateSchedule {

    /** How the rate falls after warm-up. */
    public enum Shape {
        LINEAR, COSINE
    }

    public BudgetSchedule {
        if (shape == null || !(peak > 0) || warmup < 1) {
            throw new IllegalArgumentException("the schedule needs a shape, a peak rate > 0 and warmup ≥ 1");
        }
    }

    /** As {@link #rate(long, long, double, double)} with warm-up ending at no progress (a negligible part of the budget). */
    @Override
    public double rate(long step, long cycleStep, double progress) {
        return rate(step, cycleStep, progress, 0);
    }

    /** @param warmupProgress the budget's progress at the end of warm-up ({@code p_w}) */
    public double rate(long step, long cycleStep, double progress, double warmupProgress) {
        if (cycleStep < 1) {
            throw new IllegalArgumentException("steps count from 1, got " + cycleStep);
        }
        if (cycleStep <= warmup) {
            return peak * cycleStep / warmup; // (a budget shorter than the warm-up ends on the ramp, as in Hugging Face)
        }
        double pw = clamp(warmupProgress);
        double q = pw >= 1 ? 1 : clamp((clamp(progress) - pw) / (1 - pw));
        double decay = shape == Shape.LINEAR ? 1 - q : 0.5 * (1 + Math.cos(Math.PI * q));
        return peak * decay;
    }

    private static double clamp(double p) {
        return Math.min(1, Math.max(0, p));
    }
}
