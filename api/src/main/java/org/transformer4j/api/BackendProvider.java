package org.transformer4j.api;


/**
 * The service a backend module registers in
 * {@code META-INF/services/org.transformer4j.api.BackendProvider}, found with
 * {@link java.util.ServiceLoader} (DJL's {@code EngineProvider}, in spirit).
 *
 * <p>Constructing a provider must be cheap and free of side effects: {@code t4j backends} instantiates all
 * of them. Probing hardware or loading native code belongs in {@link #availability()} (cached) and
 * {@link #create}.
 */
public interface BackendProvider {

    /** The name users select it by: {@code cpu}, {@code nd4j}, {@code cuda}. */
    String name();

    /** Whether it can run here; never throws. */
    Availability availability();

    /** The device it would compute on; as much as is known when it is unavailable. */
    DeviceInfo device();

    /**
     * Creates a backend. Throws {@link org.transformer4j.api.BackendUnavailableException} with the reason
     * when {@link #availability()} says no.
     */
    Backend create(BackendOptions options);
}
