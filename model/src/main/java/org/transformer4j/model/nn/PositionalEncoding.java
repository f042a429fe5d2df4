package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * The fixed sinusoidal position encodings, kept as a {@code [capacity, d]} table on the backend and looked up
 * with {@code gather}, so any positions (a whole sequence, or the one new position of incremental decoding)
 * cost one lookup. The table grows when a longer sequence arrives: encodings exist for every length, not only
 * those seen in training.
 */
public final class PositionalEncoding implements AutoCloseable {

    private final Backend backend;
    private final int d;
    private final boolean concatenated;
    private Tensor table;
    private int capacity;

    /**
     * @param concatenated false for the paper's interleaved layout, true for tensor2tensor's sin-half then
     *                     cos-half
     */
    public PositionalEncoding(Backend backend, int d, boolean concatenated) {
        this.backend = backend;
        this.d = d;
        this.concatenated = concatenated;
    }

    /**
     * The encodings of positions {@code 0 .. length-1} as a row-major {@code [length, d]} array.
     * <ul>
     *   <li>interleaved (the paper): {@code PE(pos, 2i) = sin(pos / 10000^(2i/d))},
     *       {@code PE(pos, 2i+1) = cos(pos / 10000^(2i/d))};</li>
     *   <li>concatenated (tensor2tensor's {@code get_timing_signal_1d}, timescales 1 to 10⁴): with
     *       {@code inc = ln(10⁴) / (d/2 − 1)}, {@code PE(pos, i) = sin(pos·e^(−i·inc))} and
     *       {@code PE(pos, d/2 + i) = cos(pos·e^(−i·inc))} for {@code i < d/2}.</li>
     * </ul>
     */
    public static float[] values(int length, int d, boolean concatenated) {
        int half = d / 2;
        float[] pe = new float[length * d];
        double logIncrement = Math.log(10000.0) / Math.max(half - 1, 1);
        for (int pos = 0; pos < length; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = concatenated
                        ? pos * Math.exp(-i * logIncrement)
                        : pos / Math.pow(10000.0, 2.0 * i / d);
                int sinIndex = concatenated ? i : 2 * i;
                int cosIndex = concatenated ? half + i : 2 * i + 1;
                pe[pos * d + sinIndex] = (float) Math.sin(angle);
                pe[pos * d + cosIndex] = (float) Math.cos(angle);
            }
        }
        return pe;
    }

    /** The encodings of {@code positions}, one row each: {@code [positions.length, d]}. */
    public Tensor rows(int[] positions) {
        int needed = 0;
        for (int p : positions) {
            if (p < 0) {
                throw new IllegalArgumentException("negative position " + p);
            }
            needed = Math.max(needed, p + 1);
        }
        ensureCapacity(needed);
        return backend.gather(table, positions);
    }

    private void ensureCapacity(int length) {
        if (length <= capacity) {
            return;
        }
        int grown = Math.max(length, Math.max(2 * capacity, 128));
        Tensor bigger = TensorScope.takeOwnership(backend.fromHost(values(grown, d, concatenated), Shape.of(grown, d)));
        if (table != null) {
            table.close();
        }
        table = bigger;
        capacity = grown;
    }

    @Override
    public void close() {
        if (table != null) {
            table.close();
            table = null;
            capacity = 0;
        }
    }
}
