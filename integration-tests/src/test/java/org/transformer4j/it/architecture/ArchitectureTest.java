package org.transformer4j.it.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Holds every main class of every module to {@link ArchitectureRules}. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // test-jars (the api's float64 reference backend) are test code too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.transformer4j");
    }

    /**
     * ArchUnit versions before 1.3.2 read no Java 25 class file and then check nothing, silently: make sure
     * the import saw every module.
     */
    @Test
    void theImportSeesEveryModule() {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        for (String expected : new String[] {"org.transformer4j.api", "org.transformer4j.api.spi",
                "org.transformer4j.backend.cpu", "org.transformer4j.backend.cpu.kernels",
                "org.transformer4j.backend.cuda", "org.transformer4j.backend.nd4j", "org.transformer4j.backend.nd4j.ops",
                "org.transformer4j.cli", "org.transformer4j.cli.pages", "org.transformer4j.cli.figures",
                "org.transformer4j.decoding.illustrate", "org.transformer4j.spark", "org.transformer4j.spark.executor",
                "org.transformer4j.spark.cli"}) {
            assertTrue(packages.contains(expected), "no class imported from " + expected + "; imported " + packages);
        }
        assertTrue(classes.size() > 50, "only " + classes.size() + " classes imported");
    }

    @TestFactory
    Iterable<DynamicTest> everyRuleHolds() {
        return ArchitectureRules.ALL.stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(classes)))
                .toList();
    }
}
