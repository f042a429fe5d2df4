package org.transformer4j.it.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .mvn/jdk.sh}, which {@code ./mvnw} and {@code ./t4j} source to find a JDK 25: it prefers JAVA_HOME when
 * that is 25+, otherwise takes the newest 25+ JDK it finds, and otherwise fails with one sentence. Fake JDK
 * homes (a {@code release} file and two scripts) stand in for real ones.
 */
class JdkFinderTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result find(Map<String, String> env) throws IOException, InterruptedException {
        // Only the tools the script needs on PATH, and no java: the outcome must not depend on this machine.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sed", "dirname", "readlink")) {
            Path target = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(target) ? target : Path.of("/bin", tool));
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c",
                "set -euf; . \"$ROOT/.mvn/jdk.sh\"; t4j_find_jdk; echo \"$JAVA_HOME\"");
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("ROOT", ROOT.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve("jdks").resolve(name));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }

    @Test
    void keepsAJavaHomeOf25OrNewer() throws Exception {
        Path jdk26 = fakeJdk("jdk-26", "26.0.1");
        Result r = find(Map.of("JAVA_HOME", jdk26.toString(), "T4J_JDK_DIRS", "/nonexistent/*"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(jdk26.toString(), r.out());
    }

    @Test
    void replacesAnOlderJavaHomeWithTheNewestJdk25OrLaterFound() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-25", "25.0.3");
        Path jdk27 = fakeJdk("jdk-27", "27");
        Result r = find(Map.of("JAVA_HOME", jdk17.toString(), "T4J_JDK_DIRS", dir.resolve("jdks") + "/*"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(jdk27.toString(), r.out());
    }

    @Test
    void failsWithOneSentenceWhenThereIsNone() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");
        Result r = find(Map.of("JAVA_HOME", jdk17.toString(), "T4J_JDK_DIRS", dir.resolve("jdks") + "/*"));
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("transformer4j needs a JDK 25 or newer, and none was found"), r.err());
        assertTrue(r.err().endsWith("install one (for example Temurin 25) or set JAVA_HOME to it."), r.err());
    }
}
