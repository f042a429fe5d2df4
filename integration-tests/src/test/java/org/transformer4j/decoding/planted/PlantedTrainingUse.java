package org.transformer4j.decoding.planted;

import org.transformer4j.training.planted.PlantedGuiceUse;

/** A deliberate violation (test fixture): decoding depending on training, the wrong way round. */
public final class PlantedTrainingUse {
    public PlantedGuiceUse training;
}
