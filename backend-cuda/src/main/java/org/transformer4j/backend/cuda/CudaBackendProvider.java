package org.transformer4j.backend.cuda;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.Availability;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.api.DeviceInfo;

/**
 * Provides the {@code cuda} backend. It already probes the driver and the GPU (so {@code t4j backends}
 * says what is there), and reports itself unavailable until its op set is implemented.
 */
public final class CudaBackendProvider implements BackendProvider {

    static final String NAME = "cuda";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.ok()) {
            return Availability.no(probe.problem());
        }
        return Availability.no("not implemented yet");
    }

    @Override
    public DeviceInfo device() {
        return CudaProbe.result().device();
    }

    @Override
    public Backend create(BackendOptions options) {
        throw new BackendUnavailableException(NAME, availability().reason());
    }
}
