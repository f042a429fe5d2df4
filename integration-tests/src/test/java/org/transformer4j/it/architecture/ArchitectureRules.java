package org.transformer4j.it.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of transformer4j, as executable rules:
 *
 * <pre>
 *            cli  (composition root: picocli, Guice, finds backends at run time)     spark (Spark jobs; its own
 *           /   \                                                               composition root in spark.cli:
 *     training → decoding      training uses decoding for validation BLEU;     picocli, backend by name)
 *           \   /             never the reverse                                  |
 *           model                                                   decoding, model, api
 *
 *   Nobody depends on spark, and Spark (with Scala and Hadoop) is known to spark alone: the t4j jar stays free of it.
 *             |
 *            api  ← backend-cpu, backend-cuda, backend-nd4j (each on api only, reached by nobody)
 * </pre>
 */
public final class ArchitectureRules {

    static final String ROOT = "org.transformer4j..";
    static final String API = "org.transformer4j.api..";
    static final String MODEL = "org.transformer4j.model..";
    static final String DECODING = "org.transformer4j.decoding..";
    static final String TRAINING = "org.transformer4j.training..";
    static final String CLI = "org.transformer4j.cli..";
    static final String SPARK = "org.transformer4j.spark..";
    static final String SPARK_CLI = "org.transformer4j.spark.cli..";
    static final String CPU = "org.transformer4j.backend.cpu..";
    static final String CUDA = "org.transformer4j.backend.cuda..";
    static final String ND4J = "org.transformer4j.backend.nd4j..";

    private ArchitectureRules() {
    }

    /** api depends on the JDK and nothing else. */
    public static final ArchRule API_DEPENDS_ON_THE_JDK_ONLY = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..")
            .because("api is what every other module builds on");

    public static final ArchRule CPU_BACKEND_ON_API_ONLY = onlyOn(CPU, "jdk.incubator.vector..", "com.sun.management..");
    public static final ArchRule CUDA_BACKEND_ON_API_ONLY = onlyOn(CUDA, "jcuda..");
    public static final ArchRule ND4J_BACKEND_ON_API_ONLY = onlyOn(ND4J, "org.nd4j..", "org.bytedeco..", "org.deeplearning4j..");

    /** model knows api and nothing else of ours. */
    public static final ArchRule MODEL_ON_API_ONLY = ourDependencies(MODEL, MODEL, API);

    /** decoding knows model and api. */
    public static final ArchRule DECODING_ON_MODEL_AND_API = ourDependencies(DECODING, DECODING, MODEL, API);

    /** training knows model, api and decoding (for validation BLEU); decoding never knows training. */
    public static final ArchRule TRAINING_ON_MODEL_DECODING_AND_API = ourDependencies(TRAINING, TRAINING, MODEL, DECODING, API);

    /** The Spark jobs build on decoding, model and api, like any library user: never on training or cli. */
    public static final ArchRule SPARK_ON_DECODING_MODEL_AND_API = ourDependencies(SPARK, SPARK, DECODING, MODEL, API);

    /** Spark, Scala and Hadoop are the spark module's business alone: the t4j jar and the library stay free of them. */
    public static final ArchRule SPARK_STAYS_IN_ITS_MODULE = noClasses()
            .that().resideOutsideOfPackage(SPARK)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..", "org.apache.hadoop..")
            .because("Spark is provided by the cluster to the spark module; nothing else is written against it");

    /** Nothing depends on the spark module (so nothing drags Spark in). */
    public static final ArchRule NOBODY_DEPENDS_ON_SPARK = noClasses()
            .that().resideOutsideOfPackage(SPARK)
            .should().dependOnClassesThat().resideInAPackage(SPARK)
            .because("the Spark jobs are a composition root of their own, used by nobody");

    /** Backends are reached only through ServiceLoader: no class outside a backend names one of its classes. */
    public static final ArchRule NOBODY_NAMES_A_BACKEND = noClasses()
            .that().resideOutsideOfPackages(CPU, CUDA, ND4J)
            .should().dependOnClassesThat().resideInAnyPackage(CPU, CUDA, ND4J)
            .because("backends are found with java.util.ServiceLoader and chosen by configuration");

    /** Only cli may know Guice; library code uses jakarta.inject annotations. */
    public static final ArchRule ONLY_CLI_KNOWS_GUICE = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "javax.inject..")
            .because("cli is the composition root; library code uses jakarta.inject annotations");

    /** Only the two command lines (t4j and t4j spark) know picocli. */
    public static final ArchRule ONLY_COMMAND_LINES_KNOW_PICOCLI = noClasses()
            .that().resideOutsideOfPackages(CLI, SPARK_CLI)
            .should().dependOnClassesThat().resideInAnyPackage("picocli..")
            .because("parsing command lines is the composition roots' job; library code takes plain values");

    /**
     * ND4J (with JavaCPP, its native loader, and DL4J) is known to backend-nd4j alone: its 150 MB of jars are a
     * runtime choice, never something the model or the command line is written against.
     */
    public static final ArchRule ND4J_STAYS_IN_ITS_BACKEND = noClasses()
            .that().resideOutsideOfPackage(ND4J)
            .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.bytedeco..", "org.deeplearning4j..")
            .because("ND4J is one backend's implementation, loaded only when that backend is chosen");

    /** Native libraries stay inside their backend. */
    public static final ArchRule NATIVE_LIBRARIES_STAY_IN_THEIR_BACKEND = noClasses()
            .that().resideOutsideOfPackages(CUDA, ND4J)
            .should().dependOnClassesThat().resideInAnyPackage("jcuda..", "org.nd4j..", "org.bytedeco..", "org.deeplearning4j..");

    /** Library code logs; only the command lines print. */
    public static final ArchRule ONLY_CLI_PRINTS = noClasses()
            .that().resideOutsideOfPackages(CLI, SPARK_CLI).should(ACCESS_STANDARD_STREAMS);

    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.transformer4j.(**)").should().beFreeOfCycles();

    public static final List<ArchRule> ALL = List.of(API_DEPENDS_ON_THE_JDK_ONLY, CPU_BACKEND_ON_API_ONLY,
            CUDA_BACKEND_ON_API_ONLY, ND4J_BACKEND_ON_API_ONLY, ND4J_STAYS_IN_ITS_BACKEND, MODEL_ON_API_ONLY, DECODING_ON_MODEL_AND_API,
            TRAINING_ON_MODEL_DECODING_AND_API, SPARK_ON_DECODING_MODEL_AND_API, SPARK_STAYS_IN_ITS_MODULE,
            NOBODY_DEPENDS_ON_SPARK, NOBODY_NAMES_A_BACKEND, ONLY_CLI_KNOWS_GUICE, ONLY_COMMAND_LINES_KNOW_PICOCLI,
            NATIVE_LIBRARIES_STAY_IN_THEIR_BACKEND, ONLY_CLI_PRINTS, NO_PACKAGE_CYCLES);

    /** A backend depends on api, the JDK and its own native library only. */
    private static ArchRule onlyOn(String backend, String... natives) {
        String[] allowed = new String[natives.length + 3];
        allowed[0] = backend;
        allowed[1] = API;
        allowed[2] = "java..";
        System.arraycopy(natives, 0, allowed, 3, natives.length);
        return classes().that().resideInAPackage(backend).should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .because("a backend builds on api alone");
    }

    /** Classes of {@code layer} depend on no transformer4j package but {@code allowed}. */
    private static ArchRule ourDependencies(String layer, String... allowed) {
        return noClasses().that().resideInAPackage(layer)
                .should().dependOnClassesThat(resideInAPackage(ROOT).and(not(resideInAnyPackage(allowed))))
                .because(layer + " may only use " + String.join(", ", allowed))
                // model, decoding and training fill up in later issues; the import guard in
                // ArchitectureTest makes sure an empty check never hides a broken import.
                .allowEmptyShould(true);
    }
}
