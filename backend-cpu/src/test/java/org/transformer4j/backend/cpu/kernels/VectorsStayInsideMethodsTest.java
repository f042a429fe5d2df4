package org.transformer4j.backend.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import jdk.incubator.vector.FloatVector;

/**
 * The rule of {@link Simd}: no method of the cpu backend takes or returns a vector (lambdas included, whose
 * captured values become parameters). Where C2 does not inline such a method, every call boxes its vectors into
 * heap objects; whether it inlines depends on what it compiled earlier in the process, which is what made half of
 * all processes run 4-5x slower. Checked on the compiled classes, with the JDK's class-file API.
 */
class VectorsStayInsideMethodsTest {

    private static final String VECTOR_PACKAGE = "Ljdk/incubator/vector/";

    @Test
    void noMethodOfTheBackendTakesOrReturnsAVector() throws Exception {
        Path classes = Path.of(Simd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> violations = new ArrayList<>();
        int methods = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(file);
                methods += model.methods().size();
                violations.addAll(violations(model));
            }
        }
        assertTrue(methods > 100, "the scan found the backend's classes (" + methods + " methods under " + classes + ")");
        assertEquals(List.of(), violations, "methods with a vector in their signature (write the vector code inline)");
    }

    @Test
    void theScanCatchesAMethodThatReturnsAVector() throws IOException, URISyntaxException {
        ClassModel planted;
        try (InputStream in = Planted.class.getResourceAsStream("VectorsStayInsideMethodsTest$Planted.class")) {
            planted = ClassFile.of().parse(in.readAllBytes());
        }
        assertEquals(List.of(Planted.class.getName() + ".twice(Ljdk/incubator/vector/FloatVector;)"
                + "Ljdk/incubator/vector/FloatVector;"), violations(planted));
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

    /** A helper written the way the rule forbids. */
    static final class Planted {
        static FloatVector twice(FloatVector v) {
            return v.add(v);
        }
    }
}
