package org.transformer4j.spark.executor;

import java.io.Serializable;

/**
 * For tests of Spark's retries: the first attempt of the task of {@code partition} fails after handing
 * {@code afterRows} results to the writer, so that a partial output of that attempt exists when it fails. Later
 * attempts run normally. Not reachable from the command line.
 */
public record FaultInjection(int partition, int afterRows) implements Serializable {

    /** Thrown by the injected failure; its message names it, so that logs do not send anyone hunting a real bug. */
    public static final class InjectedFailure extends RuntimeException {
        public InjectedFailure(int partition, int rows) {
            super("injected failure of the first attempt of partition " + partition + " after " + rows + " rows");
        }
    }
}
