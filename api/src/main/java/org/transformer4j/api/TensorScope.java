package org.transformer4j.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created on this thread while it is open, and closes them when it closes: the way to
 * release backend memory deterministically without closing every intermediate by hand.
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor h = backend.relu(backend.matmul(x, w1, false, true));   // both intermediates owned by scope
 *     return scope.keep(backend.matmul(h, w2, false, true));         // survives: handed to the outer scope
 * }
 * }</pre>
 *
 * <p>Scopes nest per thread and must be closed in reverse order of opening, on the thread that opened them
 * (try-with-resources does both). A tensor created on a thread with no open scope belongs to its caller.
 * Tensors created on other threads are not seen by this scope.
 */
public final class TensorScope implements AutoCloseable {

    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread thread;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    /** Opens a scope nested in the current thread's innermost one. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /**
     * Gives a newly created tensor to the current thread's innermost scope, if there is one. Backend
     * implementations call this once per tensor they create (see
     * {@link org.transformer4j.api.spi.AbstractTensor}); user code never needs to.
     */
    public static void register(Tensor tensor) {
        TensorScope scope = CURRENT.get();
        if (scope != null) {
            scope.owned.add(tensor);
        }
    }

    /**
     * Moves {@code tensor} from this scope to the enclosing one (or, for an outermost scope, to the caller),
     * so that it survives this scope's close. A tensor this scope does not own is returned unchanged.
     */
    public <T extends Tensor> T keep(T tensor) {
        if (removeOwned(tensor) && parent != null) {
            parent.owned.add(tensor);
        }
        return tensor;
    }

    /** Removes {@code tensor} from this scope without giving it to any other: the caller must close it. */
    public <T extends Tensor> T detach(T tensor) {
        removeOwned(tensor);
        return tensor;
    }

    /**
     * Takes {@code tensor} away from whichever scope of this thread owns it: from now on the caller owns it
     * and must close it. For results that outlive the step that made them, such as accumulated gradients.
     */
    public static <T extends Tensor> T takeOwnership(T tensor) {
        for (TensorScope s = CURRENT.get(); s != null; s = s.parent) {
            if (s.removeOwned(tensor)) {
                break;
            }
        }
        return tensor;
    }

    /** The number of tensors this scope owns and will close (closed ones included). */
    public int size() {
        return owned.size();
    }

    private boolean removeOwned(Tensor tensor) {
        checkOpen();
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == tensor) {
                owned.remove(i);
                return true;
            }
        }
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this tensor scope is already closed");
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a tensor scope is used only by the thread that opened it ("
                    + thread.getName() + "), not " + Thread.currentThread().getName());
        }
    }

    /** Closes every tensor this scope still owns, newest first, and makes the enclosing scope current again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOpen();
        if (CURRENT.get() != this) {
            throw new IllegalStateException("tensor scopes must be closed in the reverse order of opening");
        }
        closed = true;
        CURRENT.set(parent);
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
