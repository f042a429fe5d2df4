package org.transformer4j.api;

import java.util.Map;

/**
 * How to create a backend.
 *
 * @param threads    compute threads on the host; 0 means one per available processor
 * @param properties backend-specific settings ({@code device=1} for a GPU index, for example); unknown keys
 *                   are an error of the backend that reads them
 */
public record BackendOptions(int threads, Map<String, String> properties) {

    public BackendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all processors) or more, got " + threads);
        }
        properties = Map.copyOf(properties);
    }

    /** All processors, no properties. */
    public static BackendOptions defaults() {
        return new BackendOptions(0, Map.of());
    }

    public static BackendOptions threads(int threads) {
        return new BackendOptions(threads, Map.of());
    }

    /** The thread count to use: {@code threads}, or the number of available processors when it is 0. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
