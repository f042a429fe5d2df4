package org.transformer4j.training.data;

/** Training data or a training directory is unusable; the message names the file (and line) and the problem. */
public final class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
