package org.transformer4j.it.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.Availability;

/**
 * The backends the conformance suite runs on: every provider on the test class path. A backend gets its
 * coverage by merely being a dependency of this module; one that cannot run here is reported as skipped,
 * with its reason, never as passed.
 */
public final class BackendsUnderTest {

    private BackendsUnderTest() {
    }

    /** The provider names, for {@code @MethodSource}. */
    public static List<String> names() {
        return Backends.names();
    }

    /**
     * Creates the named backend with two threads (so that the multi-threaded code paths run), or skips the
     * calling test with the provider's reason.
     */
    public static Backend open(String name) {
        assumeAvailable(name);
        return Backends.provider(name).create(BackendOptions.threads(2));
    }

    /** Skips the calling test, with the provider's reason, unless the named backend can run here. */
    public static void assumeAvailable(String name) {
        Availability availability = Backends.provider(name).availability();
        assumeTrue(availability.available(), () -> "backend " + name + " is not available here: " + availability.reason());
    }
}
