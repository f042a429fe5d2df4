package org.transformer4j.backend.cpu.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The backend's worker threads and the one way kernels use them: split an index range into chunks and run
 * them in parallel. With one thread everything runs on the caller, with no pool at all.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** About this many elementary operations (floats moved, multiply-adds) make a chunk worth a thread. */
    public static final int MIN_CHUNK_WORK = 1 << 16;

    /** No pool: everything on the caller, for work that is already split at a higher level. */
    public static final Parallel SEQUENTIAL = new Parallel(1);

    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        this.threads = threads;
        this.pool = threads <= 1 ? null : new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("t4j-cpu-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices, a few chunks per
     * thread so that a busy core does not hold the others back. Handing work to the pool costs tens of
     * microseconds, so callers choose {@code grain} to give each chunk more work than that
     * ({@link #MIN_CHUNK_WORK}); smaller loops run on the caller.
     */
    public void forRange(int n, int grain, Range body) {
        int chunks = pool == null ? 1 : (int) Math.min(threads * 4L, (n + (long) grain - 1) / Math.max(1, grain));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        int chunk = (n + chunks - 1) / chunks;
        pool.invoke(new Split(body, 0, n, chunk));
    }

    private static final class Split extends RecursiveAction {
        private final Range body;
        private final int from;
        private final int to;
        private final int chunk;

        Split(Range body, int from, int to, int chunk) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.chunk = chunk;
        }

        @Override
        protected void compute() {
            if (to - from <= chunk) {
                body.run(from, to);
                return;
            }
            int mid = from + ((to - from) / chunk / 2) * chunk;
            if (mid <= from) {
                mid = from + chunk;
            }
            invokeAll(new Split(body, from, mid, chunk), new Split(body, mid, to, chunk));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
