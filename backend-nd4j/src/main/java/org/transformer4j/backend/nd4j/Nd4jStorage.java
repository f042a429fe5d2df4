package org.transformer4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.transformer4j.api.spi.MemoryTracker;
import org.transformer4j.api.spi.Storage;

/**
 * One ND4J data buffer shared by a tensor and its reshaped views: a flat, c-ordered float32 array that is
 * closed (its native memory freed at once) when the last view closes, never left to ND4J's garbage-collector
 * based deallocator.
 */
final class Nd4jStorage extends Storage {

    /** The elements, as a rank-1 array of the tensor's size. */
    final INDArray flat;
    private final MemoryTracker tracker;

    Nd4jStorage(INDArray flat, MemoryTracker tracker) {
        super(flat.length() * Float.BYTES);
        this.flat = flat;
        this.tracker = tracker;
        tracker.allocated(bytes());
    }

    @Override
    protected void free() {
        flat.close();
        tracker.freed(bytes());
    }
}
