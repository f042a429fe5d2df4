package org.transformer4j.spark.executor;

import java.util.Iterator;

/** Hands out a task's results, failing part-way on the attempt a {@link FaultInjection} chose (tests only). */
final class FailingIterator<T> implements Iterator<T> {

    private final Iterator<T> rows;
    private final FaultInjection fault;
    private int handedOut;

    private FailingIterator(Iterator<T> rows, FaultInjection fault) {
        this.rows = rows;
        this.fault = fault;
    }

    static <T> Iterator<T> wrap(Iterator<T> rows, FaultInjection fault) {
        return fault == null ? rows : new FailingIterator<>(rows, fault);
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public T next() {
        TaskProbe.maybeFail(fault, handedOut);
        handedOut++;
        return rows.next();
    }
}
