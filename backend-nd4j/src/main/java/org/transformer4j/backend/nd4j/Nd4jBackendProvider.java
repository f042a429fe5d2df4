package org.transformer4j.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.transformer4j.api.Availability;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.DeviceInfo;
import org.transformer4j.api.spi.HostCpu;

/**
 * Provides the {@code nd4j} backend: ND4J 1.0.0-M2.1 on the CPU ({@code nd4j-native}, OpenBLAS), whose
 * natives are fetched for linux-x86_64 only. Availability loads them once (about 2 s, and on the first run
 * ever JavaCPP unpacks about 400 MB into {@code ~/.javacpp/cache}); the reason names what failed.
 *
 * <p>Options: {@code threads} (0 = {@link Nd4jRuntime#defaultThreads()}), applied to libnd4j's threads per op
 * and OpenBLAS's, process-wide ({@link Nd4jRuntime#setThreads}). No backend properties.
 */
public final class Nd4jBackendProvider implements BackendProvider {

    static final String NAME = "nd4j";

    private static volatile Availability availability;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (Nd4jBackendProvider.class) {
                a = availability;
                if (a == null) {
                    a = probe();
                    availability = a;
                }
            }
        }
        return a;
    }

    private static Availability probe() {
        String unsupported = unsupportedPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (unsupported != null) {
            return Availability.no(unsupported);
        }
        try {
            Nd4jRuntime.load();
            return Availability.yes();
        } catch (Throwable t) { // native loading fails with errors, not exceptions
            return Availability.no("ND4J's native library could not be loaded: " + rootMessage(t));
        }
    }

    /** Why ND4J cannot load on this platform, or null when it is the one whose natives the build fetched. */
    static String unsupportedPlatform(String os, String arch) {
        if (os.toLowerCase(Locale.ROOT).startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        return "the ND4J natives in this build are for linux-x86_64 only, not " + os + " " + arch;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    @Override
    public DeviceInfo device() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        if (availability().available()) {
            details.putAll(Nd4jRuntime.describe());
        }
        return new DeviceInfo("ND4J 1.0.0-M2.1 nd4j-native on " + HostCpu.model(), details);
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability a = availability();
        if (!a.available()) {
            throw new BackendUnavailableException(NAME, a.reason());
        }
        for (String key : options.properties().keySet()) {
            throw new IllegalArgumentException("unknown nd4j backend option '" + key + "' (the nd4j backend has none)");
        }
        Nd4jRuntime.setThreads(options.threads() == 0 ? Nd4jRuntime.defaultThreads() : options.threads());
        return new Nd4jBackend(device(), Nd4jRuntime.threads());
    }
}
