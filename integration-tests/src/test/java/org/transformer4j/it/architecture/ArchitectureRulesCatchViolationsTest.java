package org.transformer4j.it.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.planted.PlantedApiViolation;
import org.transformer4j.cli.planted.PlantedSparkJobUse;
import org.transformer4j.decoding.planted.PlantedPicocliUse;
import org.transformer4j.decoding.planted.PlantedTrainingUse;
import org.transformer4j.model.planted.PlantedModelViolation;
import org.transformer4j.model.planted.PlantedSparkUse;
import org.transformer4j.model.planted.cycle.a.CycleA;
import org.transformer4j.model.planted.cycle.b.CycleB;
import org.transformer4j.training.planted.PlantedGuiceUse;
import org.transformer4j.spark.planted.PlantedSparkTrainingUse;
import org.transformer4j.training.planted.PlantedNd4jUse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The rules are not vacuous: each one fails on a planted violation (test fixtures in the {@code planted}
 * packages, which the real ArchitectureTest does not import).
 */
class ArchitectureRulesCatchViolationsTest {

    private static final JavaClasses PLANTED = new ClassFileImporter().importClasses(PlantedModelViolation.class,
            PlantedGuiceUse.class, PlantedTrainingUse.class, PlantedApiViolation.class, CycleA.class, CycleB.class,
            PlantedNd4jUse.class, PlantedSparkUse.class, PlantedSparkTrainingUse.class, PlantedSparkJobUse.class,
            PlantedPicocliUse.class);

    private static void assertCaught(ArchRule rule, String expectedInReport) {
        EvaluationResult result = rule.evaluate(PLANTED);
        assertTrue(result.hasViolation(), "the rule missed the planted violation: " + rule.getDescription());
        String report = result.getFailureReport().toString();
        assertTrue(report.contains(expectedInReport), report);
    }

    @Test
    void modelNamingABackendIsCaught() {
        assertCaught(ArchitectureRules.MODEL_ON_API_ONLY, "CpuBackendProvider");
        assertCaught(ArchitectureRules.NOBODY_NAMES_A_BACKEND, "CpuBackendProvider");
    }

    @Test
    void libraryCodePrintingIsCaught() {
        assertCaught(ArchitectureRules.ONLY_CLI_PRINTS, "System.out");
    }

    @Test
    void libraryCodeUsingGuiceIsCaught() {
        assertCaught(ArchitectureRules.ONLY_CLI_KNOWS_GUICE, "com.google.inject.Guice");
    }

    @Test
    void nd4jOutsideItsBackendIsCaught() {
        assertCaught(ArchitectureRules.ND4J_STAYS_IN_ITS_BACKEND, "org.nd4j.linalg.factory.Nd4j");
        assertCaught(ArchitectureRules.NATIVE_LIBRARIES_STAY_IN_THEIR_BACKEND, "org.nd4j.linalg.factory.Nd4j");
    }

    @Test
    void decodingDependingOnTrainingIsCaught() {
        assertCaught(ArchitectureRules.DECODING_ON_MODEL_AND_API, "PlantedGuiceUse");
    }

    @Test
    void apiDependingOnTheModelIsCaught() {
        assertCaught(ArchitectureRules.API_DEPENDS_ON_THE_JDK_ONLY, "PlantedModelViolation");
    }

    @Test
    void libraryCodeParsingCommandLinesIsCaught() {
        assertCaught(ArchitectureRules.ONLY_COMMAND_LINES_KNOW_PICOCLI, "PlantedPicocliUse");
    }

    @Test
    void sparkOutsideTheSparkModuleIsCaught() {
        assertCaught(ArchitectureRules.SPARK_STAYS_IN_ITS_MODULE, "org.apache.spark.planted.StandInSparkClass");
    }

    @Test
    void theSparkJobsDependingOnTrainingAreCaught() {
        assertCaught(ArchitectureRules.SPARK_ON_DECODING_MODEL_AND_API, "org.transformer4j.training.data.TextLines");
    }

    @Test
    void theCommandLineDependingOnTheSparkJobsIsCaught() {
        assertCaught(ArchitectureRules.NOBODY_DEPENDS_ON_SPARK, "org.transformer4j.spark.JobReport");
    }

    @Test
    void aPackageCycleIsCaught() {
        assertCaught(ArchitectureRules.NO_PACKAGE_CYCLES, "Cycle detected");
    }
}
