package org.transformer4j.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code t4j spark translate} takes the same decoding options as {@code t4j translate}, from its own copies of the cli
 * module's mixins (the Spark job jar leaves the cli module, with its backends and Guice, out). This test holds the
 * copies to the originals, option by option: names, value label, arity, type, default and help text.
 */
class MixinsInStepTest {

    @Test
    void theDecodingOptionsAreTheCliModules() {
        assertInStep(new org.transformer4j.cli.options.DecodingOptionsMixin(), new DecodingOptionsMixin());
    }

    @Test
    void theOptionsAgainstLoopsAreTheCliModules() {
        assertInStep(new org.transformer4j.cli.options.PenaltyOptionsMixin(), new PenaltyOptionsMixin());
    }

    private static void assertInStep(Object original, Object copy) {
        Map<String, String> expected = describe(original);
        Map<String, String> actual = describe(copy);
        assertTrue(expected.size() >= 3, "the cli module's options: " + expected.keySet());
        assertEquals(expected.keySet(), actual.keySet(), "the options");
        expected.forEach((name, option) -> assertEquals(option, actual.get(name), name));
    }

    /** Every option of an annotated object, mixins included, by its longest name. */
    private static Map<String, String> describe(Object annotated) {
        Map<String, String> options = new TreeMap<>();
        for (OptionSpec o : CommandSpec.forAnnotatedObject(annotated).options()) {
            options.put(o.longestName(), String.join(" | ", Arrays.toString(o.names()), o.paramLabel(),
                    String.valueOf(o.arity()), o.type().getName(), String.valueOf(o.defaultValue()),
                    String.valueOf(o.negatable()), String.join("\n", o.description())));
        }
        return options;
    }
}
