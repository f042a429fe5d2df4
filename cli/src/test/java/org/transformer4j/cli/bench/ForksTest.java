package org.transformer4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ForksTest {

    @Test
    void childrenGetTheCommandLineWithoutTheForkOptions() {
        assertEquals(List.of("--threads", "1", "bench", "train", "--preset", "tiny", "--fork-child"),
                Forks.childArguments(List.of("--threads", "1", "bench", "train", "--forks", "3", "--preset", "tiny",
                        "--show-fork-output")));
        assertEquals(List.of("bench", "decode", "--beam", "2", "--fork-child"),
                Forks.childArguments(List.of("bench", "decode", "--forks=2", "--show-fork-output=true", "--beam", "2")));
    }

    @Test
    void theChildsErrorLineIsItsOwnOneLineError() {
        assertEquals("unknown cpu backend option 'nope'", Forks.errorLine(List.of(
                "WARNING: Using incubator modules: jdk.incubator.vector", "t4j: unknown cpu backend option 'nope'")));
        assertEquals("Error: Could not find or load main class X", Forks.errorLine(List.of(
                "WARNING: Using incubator modules: jdk.incubator.vector", "Error: Could not find or load main class X", "")));
        assertEquals("no error message", Forks.errorLine(List.of("WARNING: Using incubator modules: jdk.incubator.vector")));
    }
}
