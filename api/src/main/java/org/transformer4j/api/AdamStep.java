package org.transformer4j.api;

/**
 * The scalars of one Adam update ({@link Backend#adamStepInPlace}).
 *
 * @param learningRate the step size of this step (the schedule's value)
 * @param beta1        decay of the first-moment average (paper: 0.9)
 * @param beta2        decay of the second-moment average (paper: 0.98)
 * @param epsilon      added to the denominator (paper: 1e-9)
 * @param step         the 1-based number of this update, for the bias corrections {@code 1 − β^step}
 * @param gradScale    multiplies the gradient before use (gradient clipping, averaging accumulated batches)
 */
public record AdamStep(float learningRate, float beta1, float beta2, float epsilon, long step, float gradScale) {

    public AdamStep {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (step < 1) {
            throw new IllegalArgumentException("Adam steps count from 1, got " + step);
        }
        if (!(epsilon > 0) || !(learningRate >= 0) || !Float.isFinite(gradScale)) {
            throw new IllegalArgumentException("Adam needs epsilon > 0, a learning rate ≥ 0 and a finite gradient scale");
        }
    }

    /** {@code 1 − β1^step}. */
    public double firstMomentCorrection() {
        return 1 - Math.pow(beta1, step);
    }

    /** {@code 1 − β2^step}. */
    public double secondMomentCorrection() {
        return 1 - Math.pow(beta2, step);
    }
}
