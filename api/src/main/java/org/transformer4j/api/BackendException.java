package org.transformer4j.api;

/** A backend could not be found, created or used; the message is meant for the user as it is. */
public class BackendException extends RuntimeException {

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
