package org.transformer4j.training.planted;

import org.nd4j.linalg.factory.Nd4j;

/**
 * A deliberate violation, compiled only in the tests, for ArchitectureRulesCatchViolationsTest: library code
 * outside backend-nd4j that calls ND4J directly.
 */
public final class PlantedNd4jUse {

    public Object shortcut() {
        return Nd4j.zeros(2, 2);
    }
}
