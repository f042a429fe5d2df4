package org.transformer4j.api;

/** The provider exists but cannot run here; the message carries its reason ("no CUDA driver found"). */
public final class BackendUnavailableException extends BackendException {

    public BackendUnavailableException(String name, String reason) {
        super("backend '" + name + "' is not available: " + reason);
    }

    public BackendUnavailableException(String name, String reason, Throwable cause) {
        super("backend '" + name + "' is not available: " + reason, cause);
    }
}
