package org.transformer4j.spark.planted;

import java.nio.file.Path;
import java.util.List;

import org.transformer4j.training.data.TextLines;

/** A deliberate violation (test fixture): the Spark jobs depending on the training module. */
public final class PlantedSparkTrainingUse {

    public List<String> lines(Path file) {
        return TextLines.read(file);
    }
}
