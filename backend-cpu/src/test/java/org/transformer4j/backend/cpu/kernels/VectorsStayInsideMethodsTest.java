package org.transformer4j.backend.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import jdk.incubator.vector.FloatVector;

/**
 * The rules of {@link Simd}, checked on the compiled classes with the JDK's class-file API:
 * <ul>
 * <li>no method of the cpu backend takes or returns a vector (lambdas included, whose captured values become
 * parameters). Where C2 does not inline such a method, every call boxes its vectors into heap objects; whether it
 * inlines depends on what it compiled earlier in the process, which is what made half of all processes run 4-5x
 * slower;</li>
 * <li>every vector has the preferred shape: the backend names no other species and no other shape. With one
 * shape, every vector value has one class the JIT can count on; a second shape (128-bit floats to pack a GEMM
 * panel, 256-bit floats beside 512-bit longs in dropout) made some processes box the accumulators of unrelated
 * kernels again, gigabytes per step.</li>
 * </ul>
 */
class VectorsStayInsideMethodsTest {

    private static final String VECTOR_PACKAGE = "Ljdk/incubator/vector/";

    @Test
    void noMethodOfTheBackendTakesOrReturnsAVector() throws Exception {
        List<String> violations = new ArrayList<>();
        int methods = 0;
        for (ClassModel model : backendClasses()) {
            methods += model.methods().size();
            violations.addAll(violations(model));
        }
        assertTrue(methods > 100, "the scan found the backend's classes (" + methods + " methods)");
        assertEquals(List.of(), violations, "methods with a vector in their signature (write the vector code inline)");
    }

    @Test
    void everyVectorHasThePreferredShape() throws Exception {
        List<String> violations = new ArrayList<>();
        for (ClassModel model : backendClasses()) {
            violations.addAll(otherShapes(model));
        }
        assertEquals(List.of(), violations, "references to vector shapes other than the preferred one");
    }

    @Test
    void theShapeScanCatchesAnotherSpecies() throws IOException {
        assertEquals(List.of(Planted.class.getName() + " uses jdk/incubator/vector/FloatVector.SPECIES_128"),
                otherShapes(planted()));
    }

    @Test
    void theScanCatchesAMethodThatReturnsAVector() throws IOException {
        assertEquals(List.of(Planted.class.getName() + ".twice(Ljdk/incubator/vector/FloatVector;)"
                + "Ljdk/incubator/vector/FloatVector;"), violations(planted()));
    }

    private static ClassModel planted() throws IOException {
        try (InputStream in = Planted.class.getResourceAsStream("VectorsStayInsideMethodsTest$Planted.class")) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    private static List<ClassModel> backendClasses() throws Exception {
        Path classes = Path.of(Simd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ClassModel> models = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                models.add(ClassFile.of().parse(file));
            }
        }
        return models;
    }

    /** References to a species other than SPECIES_PREFERRED, or to the API that makes other shapes. */
    private static List<String> otherShapes(ClassModel model) {
        List<String> found = new ArrayList<>();
        String name = model.thisClass().asInternalName().replace('/', '.');
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof MemberRefEntry ref && ref.owner().asInternalName().startsWith("jdk/incubator/vector/")) {
                String member = ref.name().stringValue();
                boolean otherSpecies = member.startsWith("SPECIES_") && !member.equals("SPECIES_PREFERRED");
                boolean shapeMaker = ref.owner().asInternalName().equals("jdk/incubator/vector/VectorShape")
                        || List.of("withShape", "withLanes", "reinterpretShape", "convertShape", "castShape")
                                .contains(member)
                        || (ref.owner().asInternalName().equals("jdk/incubator/vector/VectorSpecies")
                                && member.equals("of"));
                if (otherSpecies || shapeMaker) {
                    found.add(name + " uses " + ref.owner().asInternalName() + "." + member);
                }
            }
        }
        return found;
    }

    private static List<String> violations(ClassModel model) {
        List<String> found = new ArrayList<>();
        for (MethodModel m : model.methods()) {
            String descriptor = m.methodType().stringValue();
            if (descriptor.contains(VECTOR_PACKAGE)) {
                found.add(model.thisClass().asInternalName().replace('/', '.') + "." + m.methodName().stringValue() + descriptor);
            }
        }
        return found;
    }

    /** Code written the way the rules forbid. */
    static final class Planted {
        static FloatVector twice(FloatVector v) {
            return v.add(v);
        }

        static float quarter(float[] a) {
            return FloatVector.fromArray(FloatVector.SPECIES_128, a, 0).reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        }
    }
}
