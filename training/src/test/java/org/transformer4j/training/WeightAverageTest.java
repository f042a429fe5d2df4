package org.transformer4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.Parameter;

class WeightAverageTest {

    private final TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(11).tgtVocabSize(11).build();

    @Test
    void theDecayFollowsTheUpdateCountEarlyAndTheGivenDecayLater() {
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1));
                Transformer model = Transformer.initialise(backend, config, 1);
                WeightAverage average = WeightAverage.startingFrom(model, 0.999)) {
            assertEquals(2.0 / 11, average.decayAt(1), 1e-12);
            assertEquals(101.0 / 110, average.decayAt(100), 1e-12);
            assertEquals(0.999, average.decayAt(1_000_000), 1e-12);
        }
    }

    @Test
    void anUpdateMovesEachWeightOfTheAverageTowardsTheModel() {
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1));
                Transformer model = Transformer.initialise(backend, config, 1);
                Transformer other = Transformer.initialise(backend, config, 2);
                WeightAverage average = WeightAverage.startingFrom(model, 0.5)) {
            long step = 1000; // the decay is 0.5 by then
            average.update(other, step);
            for (Parameter p : model.parameters().values()) {
                float[] a = p.value().toFloatArray();
                float[] b = other.parameters().get(p.name()).value().toFloatArray();
                float[] got = average.model().parameters().get(p.name()).value().toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(0.5f * a[i] + 0.5f * b[i], got[i], 1e-6f, p.name() + "[" + i + "]");
                }
            }
            // The averaged model owns its own tensors: the model it started from is untouched.
            try (Transformer fresh = Transformer.initialise(backend, config, 1)) {
                for (Parameter p : fresh.parameters().values()) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(p.value().toFloatArray(),
                            model.parameters().get(p.name()).value().toFloatArray(), p.name());
                }
            }
        }
    }
}
