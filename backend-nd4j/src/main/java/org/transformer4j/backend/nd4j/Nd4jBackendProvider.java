package org.transformer4j.backend.nd4j;

import java.util.Map;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.Availability;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.api.DeviceInfo;

/**
 * Provides the {@code nd4j} backend. Registered already so that selection, listing and the conformance
 * suite see it; it reports itself unavailable until its op set is implemented.
 */
public final class Nd4jBackendProvider implements BackendProvider {

    static final String NAME = "nd4j";
    private static final String REASON = "not implemented yet";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        return Availability.no(REASON);
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo("ND4J nd4j-native (host CPU, OpenBLAS)",
                Map.of("cores", Integer.toString(Runtime.getRuntime().availableProcessors())));
    }

    @Override
    public Backend create(BackendOptions options) {
        throw new BackendUnavailableException(NAME, REASON);
    }
}
