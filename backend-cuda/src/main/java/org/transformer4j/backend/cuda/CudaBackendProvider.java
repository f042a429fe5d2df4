package org.transformer4j.backend.cuda;

import java.util.Set;

import org.transformer4j.api.Availability;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.DeviceInfo;

/**
 * Provides the {@code cuda} backend: available when the CUDA driver finds a GPU ({@link CudaProbe}) and cuBLAS
 * loads ({@link Cublas}); otherwise unavailable with the reason, so that {@code t4j backends} says what is missing
 * and the conformance suite skips it by name.
 *
 * <p>Options (properties): {@code tf32=true} lets cuBLAS use TF32 tensor cores for the products (faster, 10-bit
 * mantissas; off by default, so that results compare with the other backends at float32 tolerances);
 * {@code device=N} picks the GPU (default 0).
 */
public final class CudaBackendProvider implements BackendProvider {

    static final String NAME = "cuda";
    private static final Set<String> PROPERTIES = Set.of("tf32", "device");

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
        Cublas.Library cublas = Cublas.library();
        if (!cublas.found()) {
            return Availability.no(cublas.problem());
        }
        return Availability.yes();
    }

    @Override
    public DeviceInfo device() {
        return CudaProbe.result().device();
    }

    @Override
    public Backend create(BackendOptions options) {
        for (String key : options.properties().keySet()) {
            if (!PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("unknown cuda backend option '" + key + "' (known: tf32, device)");
            }
        }
        Availability a = availability();
        if (!a.available()) {
            throw new BackendUnavailableException(NAME, a.reason());
        }
        boolean tf32 = "true".equalsIgnoreCase(options.properties().getOrDefault("tf32", "false"));
        int ordinal;
        try {
            ordinal = Integer.parseInt(options.properties().getOrDefault("device", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cuda backend option device must be a GPU number, not '"
                    + options.properties().get("device") + "'");
        }
        return new CudaBackend(device(), ordinal, tf32);
    }
}
