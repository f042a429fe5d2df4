package org.transformer4j.training;

import org.transformer4j.training.data.DataException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a run is, saved with every checkpoint ({@code state.json}) so that a resumed run continues exactly:
 * the update count, the data position (epoch and next batch), the early-stopping bookkeeping and the seed
 * from which every random choice (batch order, dropout masks) is derived.
 *
 * @param step            updates done
 * @param epoch           the current epoch, from 0
 * @param batchInEpoch    the index of the next batch of that epoch
 * @param bestValidLoss   best validation loss per token so far (NaN before the first validation)
 * @param bestStep        the step of that validation
 * @param badValidations  validations since the last improvement
 * @param seed            the run's seed
 * @param trainingMillis  training time over all runs so far
 */
public record TrainingState(long step, int epoch, int batchInEpoch, double bestValidLoss, long bestStep,
        int badValidations, long seed, long trainingMillis) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FORMAT_VERSION = 1;

    public static TrainingState start(long seed) {
        return new TrainingState(0, 0, 0, Double.NaN, 0, 0, seed, 0);
    }

    /** The state with the data position moved to batch {@code batch} of {@code epochIndex}. */
    public TrainingState at(int epochIndex, int batch) {
        return new TrainingState(step, epochIndex, batch, bestValidLoss, bestStep, badValidations, seed, trainingMillis);
    }

    /** The state after update {@code newStep}, which took {@code millis} of training time. */
    public TrainingState afterStep(long newStep, long millis) {
        return new TrainingState(newStep, epoch, batchInEpoch, bestValidLoss, bestStep, badValidations, seed,
                trainingMillis + millis);
    }

    /** Whether a validation loss beats the best so far. */
    public boolean improvesOn(double validLoss) {
        return Double.isNaN(bestValidLoss) || validLoss < bestValidLoss;
    }

    /** The state after a validation: a new best, or one more validation without improvement. */
    public TrainingState afterValidation(double validLoss) {
        return improvesOn(validLoss)
                ? new TrainingState(step, epoch, batchInEpoch, validLoss, step, 0, seed, trainingMillis)
                : new TrainingState(step, epoch, batchInEpoch, bestValidLoss, bestStep, badValidations + 1, seed,
                        trainingMillis);
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", FORMAT_VERSION);
        n.put("step", step);
        n.put("epoch", epoch);
        n.put("batch_in_epoch", batchInEpoch);
        if (Double.isNaN(bestValidLoss)) {
            n.putNull("best_valid_loss");
        } else {
            n.put("best_valid_loss", bestValidLoss);
        }
        n.put("best_step", bestStep);
        n.put("bad_validations", badValidations);
        n.put("seed", seed);
        n.put("training_millis", trainingMillis);
        return n.toPrettyString() + "\n";
    }

    public static TrainingState fromJson(String text, String where) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject() || !n.has("step") || !n.has("epoch") || !n.has("batch_in_epoch") || !n.has("seed")) {
                throw new DataException(where + " is not a training state (step, epoch, batch_in_epoch, seed)");
            }
            if (n.path("format_version").asInt(0) > FORMAT_VERSION) {
                throw new DataException(where + " comes from a newer transformer4j (format_version "
                        + n.path("format_version").asInt() + "); upgrade to resume this run");
            }
            JsonNode best = n.get("best_valid_loss");
            return new TrainingState(n.get("step").asLong(), n.get("epoch").asInt(), n.get("batch_in_epoch").asInt(),
                    best == null || best.isNull() ? Double.NaN : best.asDouble(), n.path("best_step").asLong(),
                    n.path("bad_validations").asInt(), n.get("seed").asLong(), n.path("training_millis").asLong());
        } catch (JacksonException e) {
            throw new DataException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
