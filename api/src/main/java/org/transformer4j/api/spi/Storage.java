package org.transformer4j.api.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block of backend memory shared by a tensor and its reshaped views, freed when the last of them is
 * closed (reference counted, never by the garbage collector).
 */
public abstract class Storage {

    private final AtomicInteger references = new AtomicInteger();
    private final long bytes;

    protected Storage(long bytes) {
        this.bytes = bytes;
    }

    public final long bytes() {
        return bytes;
    }

    final void retain() {
        references.incrementAndGet();
    }

    final void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            free();
        } else if (left < 0) {
            throw new IllegalStateException("storage released more often than retained");
        }
    }

    /** Returns the memory to the backend; called exactly once, when the last tensor using it is closed. */
    protected abstract void free();
}
