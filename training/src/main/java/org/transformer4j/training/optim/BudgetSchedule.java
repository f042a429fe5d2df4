package org.transformer4j.training.optim;

/**
 * A schedule tied to the run's budget, as Hugging Face's {@code get_linear_schedule_with_warmup} and
 * {@code get_cosine_schedule_with_warmup} define it for steps: linear warm-up to {@code peak} over {@code warmup}
 * updates, then decay to zero exactly when the budget ends, linearly or along a half cosine. With the budget's
 * progress {@code p} and its value {@code p_w} at the end of warm-up, {@code q = (p − p_w) / (1 − p_w)} and
 * {@code lr = peak · decay(q)}, {@code decay(q) = 1 − q} (linear) or {@code (1 + cos πq) / 2} (cosine). Progress,
 * not steps, so that a budget of minutes ends at zero as exactly as a budget of steps.
 *
 * <p>With a {@code cooldown} share {@code c} below 1 the rate holds the peak until {@code q = 1 − c} and decays over
 * the rest ({@code q' = (q − (1 − c)) / c}): the warmup-stable-decay schedule ("MiniCPM", Hu et al. 2024; Hägele et
 * al. 2024), which keeps the rate high while a short run is still learning fast and settles at the end.
 *
 * <p>Why: with a fixed budget (minutes of CPU, not a number of epochs) the paper's inverse square root leaves the
 * rate high when time runs out, and the last updates are noisy. Ending at zero ("one-cycle"; the "Cramming" paper
 * found it the best of the schedules it tried for a single day of training) lets the last stretch settle, which
 * the dev set rewards; see docs/training.md for the measurements that chose it.
 */
public record BudgetSchedule(Shape shape, double peak, int warmup, double cooldown) implements LearningRateSchedule {

    /** How the rate falls after warm-up. */
    public enum Shape {
        LINEAR, COSINE
    }

    public BudgetSchedule {
        if (shape == null || !(peak > 0) || warmup < 1 || !(cooldown > 0 && cooldown <= 1)) {
            throw new IllegalArgumentException("the schedule needs a shape, a peak rate > 0, warmup ≥ 1 and a cooldown in (0, 1]");
        }
    }

    /** Decay over the whole budget after warm-up (cooldown 1). */
    public BudgetSchedule(Shape shape, double peak, int warmup) {
        this(shape, peak, warmup, 1);
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
        q = clamp((q - (1 - cooldown)) / cooldown);
        double decay = shape == Shape.LINEAR ? 1 - q : 0.5 * (1 + Math.cos(Math.PI * q));
        return peak * decay;
    }

    private static double clamp(double p) {
        return Math.min(1, Math.max(0, p));
    }
}
