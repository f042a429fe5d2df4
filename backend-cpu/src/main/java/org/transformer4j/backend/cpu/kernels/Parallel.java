package org.transformer4j.backend.cpu.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The backend's worker threads and the one way kernels use them: split an index range into chunks and run
 * them in parallel. With one thread everything runs on the caller, with no threads at all.
 *
 * <p>A fork-join pool would do, but it allocates task objects for every split, and a training step runs
 * thousands of ops: this pool hands out chunks of one job through an atomic counter and allocates nothing per
 * call. The caller works on chunks too. Workers spin briefly after a job before they park, because ops come
 * back to back and a wake-up from a park costs tens of microseconds.
 *
 * <p>Only one job runs at a time. A call from inside a job (a kernel that splits again) or from a second thread
 * while a job runs is not an error: it runs on the calling thread, or waits for the running job.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** About this many elementary operations (floats moved, multiply-adds) make a chunk worth a thread. */
    public static final int MIN_CHUNK_WORK = 1 << 16;

    /** No threads: everything on the caller, for work that is already split at a higher level. */
    public static final Parallel SEQUENTIAL = new Parallel(1);

    /** How long a worker keeps looking for the next job before it parks. */
    private static final long SPIN_NANOS = 50_000;
    /** The low half of {@code claim} once every chunk of a job has run. */
    private static final long EXHAUSTED = Integer.MAX_VALUE;

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock submit = new ReentrantLock();

    // The current job. Written by the submitting thread before it publishes a new generation (a volatile write),
    // read by workers after they see it. A chunk is claimed by raising `claim`, which holds the job's generation
    // in its high half and the next chunk in its low half: a worker that is late from an earlier job cannot claim
    // a chunk of a later one, whatever job fields it read.
    private Range body;
    private int n;
    private int chunk;
    private int chunks;
    private final AtomicLong claim = new AtomicLong(EXHAUSTED);
    private final AtomicInteger doneChunks = new AtomicInteger();
    private volatile int generation;
    private volatile Thread waiting;
    private volatile Throwable failure;
    private volatile boolean closed;

    public Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Thread[this.threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::work, "t4j-cpu-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices, up to eight chunks per
     * thread, claimed one at a time, so that a busy core or an unlucky split does not hold the others back. Handing work to the workers costs microseconds,
     * so callers choose {@code grain} to give each chunk more work than that ({@link #MIN_CHUNK_WORK}); smaller
     * loops run on the caller.
     */
    public void forRange(int n, int grain, Range body) {
        int count = workers.length == 0 ? 1 : (int) Math.min(threads * 8L, (n + (long) grain - 1) / Math.max(1, grain));
        if (count <= 1 || isWorker(Thread.currentThread()) || submit.isHeldByCurrentThread()) {
            body.run(0, n);
            return;
        }
        submit.lock();
        try {
            this.body = body;
            this.n = n;
            this.chunk = (n + count - 1) / count;
            this.chunks = (n + chunk - 1) / chunk;
            this.failure = null;
            doneChunks.set(0);
            waiting = Thread.currentThread();
            int job = generation + 1;
            claim.set((long) job << 32);
            generation = job; // publishes the job
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            runChunks(job);
            while (doneChunks.get() < chunks) {
                LockSupport.park(this);
            }
            claim.set(((long) job << 32) | EXHAUSTED);
            this.body = null;
            Throwable f = failure;
            if (f != null) {
                if (f instanceof RuntimeException e) {
                    throw e;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            submit.unlock();
        }
    }

    /** Claims and runs chunks of job {@code job} until none is left (or another job has begun). */
    private void runChunks(int job) {
        Range b = body;
        int total = chunks;
        while (true) {
            long current = claim.get();
            int c = (int) current;
            if ((int) (current >>> 32) != job || c >= total) {
                return;
            }
            if (!claim.compareAndSet(current, current + 1)) {
                continue;
            }
            try {
                int from = c * chunk;
                b.run(from, Math.min(n, from + chunk));
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
            if (doneChunks.incrementAndGet() == total) {
                LockSupport.unpark(waiting);
            }
        }
    }

    private void work() {
        int seen = 0;
        while (!closed) {
            int g = generation;
            if (g != seen) {
                seen = g;
                runChunks(g);
                continue;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            if (generation == seen && !closed) {
                LockSupport.park(this);
            }
        }
    }

    private boolean isWorker(Thread t) {
        for (Thread w : workers) {
            if (w == t) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
