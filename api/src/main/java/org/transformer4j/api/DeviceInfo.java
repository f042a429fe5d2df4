package org.transformer4j.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A description of the device a backend computes on.
 *
 * @param name    a short name ("2-core x86_64 CPU", "NVIDIA H100 80GB HBM3")
 * @param details ordered facts ("cores" → "2", "simd" → "256-bit (8 floats)", "memory" → "23.5 GiB")
 */
public record DeviceInfo(String name, Map<String, String> details) {

    public DeviceInfo {
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static DeviceInfo unknown() {
        return new DeviceInfo("unknown device", Map.of());
    }

    /** One line: the name followed by the details ("2-core CPU (cores 2, simd 256-bit)"). */
    public String summary() {
        if (details.isEmpty()) {
            return name;
        }
        return name + " (" + details.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
