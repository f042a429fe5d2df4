package org.transformer4j.training;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.nn.Parameter;

/**
 * An exponential moving average of a model's weights (Polyak averaging, as in TensorFlow's
 * {@code ExponentialMovingAverage} and timm's {@code ModelEma}): after every update,
 * {@code average ← d · average + (1 − d) · weights}. The average is a second model on the same backend, and it is
 * what validation, dev BLEU and the saved model use; training continues on the raw weights.
 *
 * <p>The decay is {@code d = min(decay, (1 + step) / (10 + step))}, TensorFlow's {@code num_updates} rule: early in
 * training the average follows the weights closely, so that a short run is not an average with the random
 * initialisation (with {@code decay} 0.999, 800 plain updates would still give the initial weights 45% of the
 * average).
 */
final class WeightAverage implements AutoCloseable {

    private final Transformer average;
    private final double decay;

    private WeightAverage(Transformer average, double decay) {
        this.average = average;
        this.decay = decay;
    }

    /** An average that starts as a copy of {@code model}'s weights. */
    static WeightAverage startingFrom(Transformer model, double decay) {
        Backend backend = model.backend();
        return new WeightAverage(new Transformer(backend, model.config(),
                spec -> backend.toHost(model.parameters().get(spec.name()).value())), decay);
    }

    /** An average resumed from a checkpoint's copy of it. */
    static WeightAverage resumed(Transformer saved, double decay) {
        return new WeightAverage(saved, decay);
    }

    /** The decay applied after update {@code step} (1-based). */
    double decayAt(long step) {
        return Math.min(decay, (1.0 + step) / (10.0 + step));
    }

    /** Moves the average towards {@code model}'s weights after update {@code step}. */
    void update(Transformer model, long step) {
        float share = (float) (1 - decayAt(step));
        Backend backend = model.backend();
        try (TensorScope scope = TensorScope.open()) {
            for (Parameter p : model.parameters().values()) {
                Tensor avg = average.parameters().get(p.name()).value();
                // avg += (1 − d) · (w − avg): one temporary per parameter, from the backend's pool.
                Tensor difference = backend.copy(p.value());
                backend.addInPlace(difference, avg, -1f);
                backend.addInPlace(avg, difference, share);
                difference.close();
            }
        }
    }

    /** The averaged model: evaluate and save this one. */
    Transformer model() {
        return average;
    }

    @Override
    public void close() {
        average.close();
    }
}
