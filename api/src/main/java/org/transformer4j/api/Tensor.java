package org.transformer4j.api;

/**
 * A handle to a dense, row-major tensor whose storage belongs to a {@link Backend} (host or device memory).
 *
 * <p>Tensors are values to the code that uses them: every op returns a new tensor and leaves its inputs
 * alone, except the few ops named {@code ...InPlace} or documented as accumulating into an argument.
 *
 * <p>A tensor holds backend memory until it is closed, either explicitly or by the {@link TensorScope}
 * that was open on the creating thread. Closing is idempotent; using a closed tensor throws
 * {@link IllegalStateException}. Nothing relies on the garbage collector to free backend memory.
 */
public interface Tensor extends AutoCloseable {

    Shape shape();

    DType dtype();

    /** The backend that owns this tensor's storage; ops accept only tensors of their own backend. */
    Backend backend();

    /** Releases this handle's claim on its storage (shared with reshaped views). Idempotent. */
    @Override
    void close();

    boolean isClosed();

    /** The number of elements. */
    default long size() {
        return shape().size();
    }

    /** A view of the same storage with another shape of the same size; see {@link Backend#reshape}. */
    default Tensor reshape(int... dims) {
        return backend().reshape(this, Shape.of(dims));
    }

    /** A copy of the elements in row-major order. */
    default float[] toFloatArray() {
        return backend().toHost(this);
    }
}
