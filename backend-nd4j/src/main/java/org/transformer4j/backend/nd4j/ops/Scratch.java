package org.transformer4j.backend.nd4j.ops;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.spi.MemoryTracker;

/**
 * The temporary ND4J arrays of one op: counted in the backend's memory while they live, and closed (freed at
 * once) when the op ends, in a try-with-resources. Ops never let ND4J allocate a result of its own choosing:
 * every array that holds memory is either a tensor's storage or one of these, so {@code memory()} accounts
 * for all of it.
 */
public final class Scratch implements AutoCloseable {

    private final MemoryTracker tracker;
    private final List<INDArray> arrays = new ArrayList<>(4);
    private long bytes;

    public Scratch(MemoryTracker tracker) {
        this.tracker = tracker;
    }

    /** Uninitialised float32 elements, c-ordered. */
    public INDArray floats(long... shape) {
        return track(Nd4j.createUninitialized(DataType.FLOAT, shape, 'c'), Float.BYTES);
    }

    /** Uninitialised float64 elements. */
    public INDArray doubles(long... shape) {
        return track(Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c'), Double.BYTES);
    }

    /** Uninitialised int64 elements (for index results). */
    public INDArray longs(long... shape) {
        return track(Nd4j.createUninitialized(DataType.INT64, shape, 'c'), Long.BYTES);
    }

    /** A copy of {@code values} as a rank-1 int32 array (indices for gather and scatter). */
    public INDArray indices(int[] values) {
        return track(Nd4j.createFromArray(values), Integer.BYTES);
    }

    /** A copy of {@code values} as a rank-1 int64 array (indices into arrays of more than 2^31 elements). */
    public INDArray indices(long[] values) {
        return track(Nd4j.createFromArray(values), Long.BYTES);
    }

    /** A copy of {@code values} as a rank-1 float32 array. */
    public INDArray floats(float[] values) {
        return track(Nd4j.createFromArray(values), Float.BYTES);
    }

    private INDArray track(INDArray a, int elementBytes) {
        long b = a.length() * elementBytes;
        arrays.add(a);
        bytes += b;
        tracker.allocated(b);
        return a;
    }

    @Override
    public void close() {
        for (INDArray a : arrays) {
            a.close();
        }
        arrays.clear();
        tracker.freed(bytes);
        bytes = 0;
    }
}
