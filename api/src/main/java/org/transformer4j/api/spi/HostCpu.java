package org.transformer4j.api.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the host's processor is called, for the device descriptions of the backends that run on it. */
public final class HostCpu {

    private HostCpu() {
    }

    /** The model name from {@code /proc/cpuinfo} and the architecture, or the architecture alone off Linux. */
    public static String model() {
        String arch = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip() + " (" + arch + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the architecture alone will do
        }
        return arch + " CPU";
    }
}
