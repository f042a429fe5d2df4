package org.transformer4j.decoding.search;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/**
 * One host array that a step model copies each step's log-probabilities into, instead of a new array per step
 * (32 sentences × a vocabulary of 8000 is 1 MiB a step). Rows only shrink during a search, so the array of the
 * first step serves the whole search; it grows only when a larger tensor comes.
 */
final class HostBuffer {

    private float[] data = new float[0];

    /** The tensor's elements, at the start of an array that stays valid until the next call. */
    float[] copy(Backend backend, Tensor t) {
        int size = t.shape().intSize();
        if (data.length < size) {
            data = new float[size];
        }
        backend.toHost(t, data);
        return data;
    }
}
