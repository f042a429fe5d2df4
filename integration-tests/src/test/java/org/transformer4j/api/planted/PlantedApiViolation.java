package org.transformer4j.api.planted;

import org.transformer4j.model.planted.PlantedModelViolation;

/** A deliberate violation (test fixture): api depending on the model. */
public final class PlantedApiViolation {
    public PlantedModelViolation model;
}
