package org.transformer4j.cli.inject;

import java.util.List;
import java.util.Map;

import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;

/**
 * Which backend a command runs on, where that choice came from, and how to create it. Decided once, before
 * the injector exists, so that {@link BackendModule} holds no logic (Guice: avoid conditional logic in
 * modules).
 *
 * @param name    the provider name
 * @param source  where the name came from, for messages: {@code --backend}, {@code T4J_BACKEND}, the config
 *                file, or {@code default}
 * @param options threads and backend properties
 */
public record BackendSelection(String name, String source, BackendOptions options) {

    public static final String ENV = "T4J_BACKEND";

    /** The order of docs/backends.md: the flag, then the environment, then the config file, then {@code cpu}. */
    public static BackendSelection resolve(String flag, String env, String config, BackendOptions options) {
        if (flag != null && !flag.isBlank()) {
            return new BackendSelection(flag.strip(), "--backend", options);
        }
        if (env != null && !env.isBlank()) {
            return new BackendSelection(env.strip(), ENV, options);
        }
        if (config != null && !config.isBlank()) {
            return new BackendSelection(config.strip(), "the config file", options);
        }
        return new BackendSelection(Backends.DEFAULT, "default", options);
    }

    public static BackendSelection of(String name) {
        return new BackendSelection(name, "code", BackendOptions.defaults());
    }

    /** True when nobody named a backend (commands that can run on all of them may then do so). */
    public boolean isDefault() {
        return source.equals("default");
    }

    /** Fails with a usage error listing the known names when no provider is called {@link #name}. */
    public BackendSelection requireKnown(List<String> known) {
        if (!known.contains(name)) {
            String from = source.equals("--backend") ? "" : " (from " + source + ")";
            throw new CliException(ExitCodes.USAGE, "unknown backend '" + name + "'" + from + "; known backends: "
                    + String.join(", ", known));
        }
        return this;
    }

    public static BackendOptions options(int threads, Map<String, String> properties) {
        return new BackendOptions(threads, properties == null ? Map.of() : properties);
    }
}
