package org.transformer4j.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.transformer4j.model.TransformerConfig;
import org.transformer4j.training.data.Augmentation;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.Examples;

/**
 * What to train: the model directory (created, or continued from its latest checkpoint), the configuration
 * of a new model, the data and the options.
 *
 * @param newModel   the configuration used when the directory holds no model yet
 * @param validation validation batches, or an empty list for none
 * @param devBleu    dev BLEU with greedy decoding at some validations, or null for none
 * @param augmentation what changes in the training examples each epoch ({@link Augmentation#NONE} for nothing)
 */
public record TrainingJob(Path modelDirectory, TransformerConfig newModel, Examples train, List<Batch> validation,
        TrainingOptions options, DevBleu devBleu, Augmentation augmentation) {

    public TrainingJob {
        Objects.requireNonNull(augmentation, "augmentation (Augmentation.NONE for none)");
    }

    /** A job without augmentation. */
    public TrainingJob(Path modelDirectory, TransformerConfig newModel, Examples train, List<Batch> validation,
            TrainingOptions options, DevBleu devBleu) {
        this(modelDirectory, newModel, train, validation, options, devBleu, Augmentation.NONE);
    }

    /** A job without dev BLEU. */
    public TrainingJob(Path modelDirectory, TransformerConfig newModel, Examples train, List<Batch> validation,
            TrainingOptions options) {
        this(modelDirectory, newModel, train, validation, options, null);
    }
}
