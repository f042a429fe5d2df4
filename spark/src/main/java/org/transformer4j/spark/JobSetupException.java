package org.transformer4j.spark;

/** A job that cannot start as asked: a missing model or input, a vocabulary mismatch, an existing output. */
public final class JobSetupException extends RuntimeException {

    public JobSetupException(String message) {
        super(message);
    }
}
