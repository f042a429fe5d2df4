package org.transformer4j.model.io;

/** A model directory or checkpoint cannot be read or written; the message says which file and why. */
public final class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
