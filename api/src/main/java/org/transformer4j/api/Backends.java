package org.transformer4j.api;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;


/**
 * Finds backends on the class path with {@link ServiceLoader}: the library user's entry point.
 *
 * <pre>{@code
 * try (Backend backend = Backends.open("cpu")) {
 *     ...
 * }
 * }</pre>
 */
public final class Backends {

    /** The backend used when nobody names one. */
    public static final String DEFAULT = "cpu";

    private Backends() {
    }

    /** Every provider on the class path, available or not, sorted by name. */
    public static List<BackendProvider> providers() {
        return ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(BackendProvider::name))
                .toList();
    }

    /** The names of every provider on the class path, sorted. */
    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    /** The provider called {@code name}; {@link UnknownBackendException} (listing the known names) if none is. */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        return all.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UnknownBackendException(name, all.stream().map(BackendProvider::name).toList()));
    }

    /** Creates the backend called {@code name} with default options. */
    public static Backend open(String name) {
        return open(name, BackendOptions.defaults());
    }

    /**
     * Creates the backend called {@code name}: {@link UnknownBackendException} when there is no such provider,
     * {@link BackendUnavailableException} with its reason when it cannot run here.
     */
    public static Backend open(String name, BackendOptions options) {
        return provider(name).create(options);
    }
}
