package org.transformer4j.spark.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The peak resident set of this process (Linux {@code VmHWM}): heap, native tensors and everything else. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Bytes, or -1 where {@code /proc/self/status} does not exist. */
    static long peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** This JVM as {@code pid@host}. */
    static String id() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
