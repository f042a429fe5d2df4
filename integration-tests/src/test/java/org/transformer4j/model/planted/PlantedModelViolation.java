package org.transformer4j.model.planted;

import org.transformer4j.backend.cpu.CpuBackendProvider;

/**
 * A deliberate violation, compiled only in the tests, for ArchitectureRulesCatchViolationsTest: model code
 * that names a backend class and prints to stdout.
 */
public final class PlantedModelViolation {

    public Object leak() {
        System.out.println("model code must not print");
        return new CpuBackendProvider();
    }
}
