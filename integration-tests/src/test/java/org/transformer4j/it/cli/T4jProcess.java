package org.transformer4j.it.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the built command-line jar in its own JVM, with the flags the {@code ./t4j} launcher passes. */
final class T4jProcess {

    /** The fat jar of the cli module; tests that need it are skipped when it was not built. */
    static final Path JAR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("cli/target/t4j.jar");

    private T4jProcess() {
    }

    /** {@code java <flags> -jar t4j.jar args...}, not started yet. */
    static ProcessBuilder builder(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
