package org.transformer4j.backend.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceOverManyJobs() {
        try (Parallel par = new Parallel(3)) {
            for (int job = 0; job < 2000; job++) {
                int n = 1 + job % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                par.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "job " + job + " index " + i);
                }
            }
        }
    }

    @Test
    void chunksRunOnSeveralThreads() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (Parallel par = new Parallel(2)) {
            for (int job = 0; job < 200 && threads.size() < 2; job++) {
                par.forRange(64, 1, (from, to) -> {
                    threads.add(Thread.currentThread());
                    long until = System.nanoTime() + 200_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
            }
        }
        assertEquals(2, threads.size(), "the caller and the worker both took chunks");
    }

    @Test
    void aNestedCallRunsOnTheCallingThread() {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
            par.forRange(16, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    par.forRange(16, 1, (f, t) -> {
                        for (int j = f; j < t; j++) {
                            hits.incrementAndGet(row * 16 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < 256; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void aFailureInAChunkReachesTheCallerAndThePoolGoesOn() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> par.forRange(8, 1, (from, to) -> {
                if (from == 5) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            AtomicIntegerArray hits = new AtomicIntegerArray(8);
            par.forRange(8, 1, (from, to) -> hits.incrementAndGet(from));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void aJobAllocatesNothingButItsLambda() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] data = new float[1 << 16];
        try (Parallel par = new Parallel(2)) {
            Parallel.Range body = (from, to) -> {
                for (int i = from; i < to; i++) {
                    data[i] += 1;
                }
            };
            for (int i = 0; i < 20_000; i++) { // warm up: the JIT compiles the pool's loops
                par.forRange(data.length, 1024, body);
            }
            long before = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                par.forRange(data.length, 1024, body);
            }
            long perJob = (threads.getTotalThreadAllocatedBytes() - before) / 1000;
            assertTrue(perJob < 64, "heap bytes per job: " + perJob);
        }
    }
}
