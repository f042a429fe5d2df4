package org.transformer4j.cli.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.transformer4j.api.Backend;

/**
 * Wraps a backend so that every op call is timed (synchronising after each, so device backends report their
 * work, not the launch), and prints the total per op: where a training step's time goes.
 */
public final class OpProfiler {

    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    /** A backend that forwards every call to {@code backend} and times it. */
    public Backend wrap(Backend backend) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    long t0 = System.nanoTime();
                    try {
                        Object result = method.invoke(backend, args);
                        backend.synchronize();
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        String name = method.getName().equals("matmul") ? matmulKey(args) : method.getName();
                        nanos.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(System.nanoTime() - t0);
                        calls.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                    }
                });
    }

    /** matmul by operand shapes and transposes: the shapes decide its speed. */
    private static String matmulKey(Object[] args) {
        return "matmul " + ((org.transformer4j.api.Tensor) args[0]).shape() + (((Boolean) args[2]) ? "ᵀ" : "") + "·"
                + ((org.transformer4j.api.Tensor) args[1]).shape() + (((Boolean) args[3]) ? "ᵀ" : "");
    }

    public void clear() {
        nanos.clear();
        calls.clear();
    }

    /** The ops by total time, with their share of the timed total. */
    public void print(PrintWriter out) {
        double total = nanos.values().stream().mapToLong(AtomicLong::get).sum();
        out.printf(Locale.ROOT, "%-44s %10s %8s %7s%n", "op", "calls", "ms", "share");
        nanos.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, AtomicLong> e) -> e.getValue().get()).reversed())
                .forEach(e -> out.printf(Locale.ROOT, "%-44s %10d %8.0f %6.1f%%%n", e.getKey(), calls.get(e.getKey()).get(),
                        e.getValue().get() / 1e6, 100 * e.getValue().get() / total));
        out.flush();
    }
}
