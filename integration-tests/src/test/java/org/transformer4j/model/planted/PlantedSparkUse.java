package org.transformer4j.model.planted;

import org.apache.spark.planted.StandInSparkClass;

/** A deliberate violation (test fixture): the model written against Spark. */
public final class PlantedSparkUse {
    public StandInSparkClass session;
}
