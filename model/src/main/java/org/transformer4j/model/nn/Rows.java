package org.transformer4j.model.nn;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/** Selecting along the first axis of a tensor of any rank: what decoding does when beams reorder or sentences end. */
public final class Rows {

    private Rows() {
    }

    /**
     * The slices {@code which[0], which[1], ...} of {@code t} along its first axis, as a new tensor of the same
     * trailing shape (a slice may be picked twice). {@code t} is left as it is.
     */
    public static Tensor select(Backend backend, Tensor t, int[] which) {
        int[] dims = t.shape().toArray();
        Tensor flat = t.reshape(dims[0], (int) (t.size() / dims[0]));
        Tensor picked = backend.gather(flat, which);
        flat.close(); // a view: the storage stays with t
        dims[0] = which.length;
        Tensor shaped = picked.reshape(dims);
        picked.close(); // likewise: shaped keeps the storage
        return shaped;
    }
}
