package org.transformer4j.backend.cpu.kernels;

/** Per-thread scratch rows for kernels that need a temporary row; never escapes the calling kernel. */
final class Scratch {

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[1024]);

    private Scratch() {
    }

    /** A thread-local array of at least {@code n} floats, with arbitrary contents. */
    static float[] floats(int n) {
        float[] a = ROW.get();
        if (a.length < n) {
            a = new float[Math.max(n, a.length * 2)];
            ROW.set(a);
        }
        return a;
    }
}
