package org.transformer4j.backend.cpu;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.Availability;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.spi.HostCpu;

/**
 * Provides the {@code cpu} backend. It runs wherever the JVM was started with the Vector API module
 * ({@code --add-modules jdk.incubator.vector}, which {@code ./t4j} and the build always pass).
 *
 * <p>Options: {@code threads} (0 = all processors); property {@code simd=false} to use the scalar kernels
 * instead of the Vector API ones.
 */
public final class CpuBackendProvider implements BackendProvider {

    static final String NAME = "cpu";
    private static final Set<String> PROPERTIES = Set.of("simd");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Availability.no("the JVM was started without the Vector API: add --add-modules jdk.incubator.vector");
        }
        return Availability.yes();
    }

    @Override
    public DeviceInfo device() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        if (availability().available()) {
            details.put("simd", VectorWidth.describe());
        }
        long memory = physicalMemory();
        if (memory > 0) {
            details.put("memory", String.format(Locale.ROOT, "%.1f GiB", memory / (double) (1L << 30)));
        }
        details.put("max heap", String.format(Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        return new DeviceInfo(HostCpu.model(), details);
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new BackendUnavailableException(NAME, availability.reason());
        }
        for (String key : options.properties().keySet()) {
            if (!PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("unknown cpu backend option '" + key + "' (known: simd)");
            }
        }
        boolean simd = !"false".equalsIgnoreCase(options.properties().getOrDefault("simd", "true"));
        return new CpuBackend(device(), options.effectiveThreads(), simd);
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /** Kept apart so that describing the device never loads Vector API classes when the module is absent. */
    private static final class VectorWidth {
        static String describe() {
            int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            return bits + "-bit vectors (" + bits / 32 + " floats)";
        }
    }
}
