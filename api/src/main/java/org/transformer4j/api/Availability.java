package org.transformer4j.api;

/**
 * Whether a backend can run here, and if not, why, in words a user can act on ("no CUDA driver found").
 */
public record Availability(boolean available, String reason) {

    public static Availability yes() {
        return new Availability(true, "");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
