package org.transformer4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;

/** The provider: found by name, available here with a device description, threads passed on to ND4J. */
class Nd4jBackendProviderTest {

    @Test
    void isFoundByNameAndAvailableOnLinuxX8664() {
        Nd4jBackendProvider provider = (Nd4jBackendProvider) Backends.provider("nd4j");
        assertTrue(provider.availability().available(), provider.availability().reason());
        String device = provider.device().summary();
        assertTrue(device.contains("ND4J") && device.contains("OpenBLAS") && device.contains("simd"), device);
    }

    @Test
    void anotherPlatformIsRefusedWithItsName() {
        assertNull(Nd4jBackendProvider.unsupportedPlatform("Linux", "amd64"));
        assertEquals("the ND4J natives in this build are for linux-x86_64 only, not Mac OS X aarch64",
                Nd4jBackendProvider.unsupportedPlatform("Mac OS X", "aarch64"));
    }

    @Test
    void theThreadCountReachesLibnd4jAndOpenBlas() {
        int pool = Nd4j.getEnvironment().maxThreads();
        for (int threads = 1; threads <= pool; threads++) {
            try (Backend b = Backends.open("nd4j", BackendOptions.threads(threads))) {
                assertEquals(threads, ((Nd4jBackend) b).threads());
                assertEquals(threads, Nd4j.getEnvironment().maxMasterThreads());
                assertEquals(threads, Nd4j.factory().blas().getMaxThreads());
                assertEquals(threads + " (pool of " + pool + ")", b.device().details().get("threads"));
            }
        }
        try (Backend b = Backends.open("nd4j")) {
            int expected = Math.min(Math.min(Runtime.getRuntime().availableProcessors(),
                    Math.max(1, org.bytedeco.javacpp.Loader.totalCores())), pool);
            assertEquals(expected, ((Nd4jBackend) b).threads(), "0 means one per processor, at most one per core");
        }
    }

    @Test
    void unknownPropertiesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("nd4j", new BackendOptions(1, Map.of("simd", "false"))));
        assertTrue(e.getMessage().contains("'simd'"), e.getMessage());
    }

    @Test
    void theJavaCppPhysicalMemoryGuardIsOffUnlessTheUserSetIt() {
        Backends.provider("nd4j").availability();
        assertEquals("0", System.getProperty(Nd4jRuntime.MAX_PHYSICAL_BYTES));
        assertEquals(0, org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
    }
}
