package org.transformer4j.api.spi;

import java.util.concurrent.atomic.AtomicBoolean;

import org.transformer4j.api.Backend;
import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * The part of a tensor every backend shares: shape, closing, the reference to its storage and registration
 * with the current {@link TensorScope}. A backend subclasses it with its own storage type.
 */
public abstract class AbstractTensor<S extends Storage> implements Tensor {

    private final Backend backend;
    private final Shape shape;
    private final DType dtype;
    private final S storage;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected AbstractTensor(Backend backend, Shape shape, DType dtype, S storage) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        storage.retain();
        TensorScope.register(this);
    }

    /** The storage, for the owning backend's kernels; throws when the tensor was closed. */
    public final S storage() {
        if (closed.get()) {
            throw new IllegalStateException("tensor " + shape + " on backend " + backend.name() + " is closed");
        }
        return storage;
    }

    @Override
    public final Shape shape() {
        return shape;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final boolean isClosed() {
        return closed.get();
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            storage.release();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype + " on " + backend.name() + (closed.get() ? " (closed)" : "");
    }
}
