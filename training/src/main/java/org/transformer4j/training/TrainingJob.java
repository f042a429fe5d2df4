package org.transformer4j.training;

import java.nio.file.Path;
import java.util.List;

import org.transformer4j.model.TransformerConfig;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.Examples;

/**
 * What to train: the model directory (created, or continued from its latest checkpoint), the configuration
 * of a new model, the data and the options.
 *
 * @param newModel   the configuration used when the directory holds no model yet
 * @param validation validation batches, or an empty list for none
 * @param devBleu    dev BLEU with greedy decoding at some validations, or null for none
 */
public record TrainingJob(Path modelDirectory, TransformerConfig newModel, Examples train, List<Batch> validation,
        TrainingOptions options, DevBleu devBleu) {

    /** A job without dev BLEU. */
    public TrainingJob(Path modelDirectory, TransformerConfig newModel, Examples train, List<Batch> validation,
            TrainingOptions options) {
        this(modelDirectory, newModel, train, validation, options, null);
    }
}
