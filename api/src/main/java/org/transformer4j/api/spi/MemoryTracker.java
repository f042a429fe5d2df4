package org.transformer4j.api.spi;

import java.util.concurrent.atomic.AtomicLong;

import org.transformer4j.api.MemoryStats;

/** Counts the bytes of live storage of one backend, and their peak; thread-safe. */
public final class MemoryTracker {

    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public void allocated(long bytes) {
        long now = inUse.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
    }

    public void freed(long bytes) {
        inUse.addAndGet(-bytes);
    }

    public long inUse() {
        return inUse.get();
    }

    public MemoryStats stats(long cached) {
        return new MemoryStats(inUse.get(), peak.get(), cached);
    }
}
