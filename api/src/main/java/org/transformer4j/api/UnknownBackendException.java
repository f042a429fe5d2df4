package org.transformer4j.api;

import java.util.List;

/** No provider has the requested name. */
public final class UnknownBackendException extends BackendException {

    private final List<String> known;

    public UnknownBackendException(String name, List<String> known) {
        super("unknown backend '" + name + "'; known backends: " + String.join(", ", known));
        this.known = List.copyOf(known);
    }

    public List<String> known() {
        return known;
    }
}
