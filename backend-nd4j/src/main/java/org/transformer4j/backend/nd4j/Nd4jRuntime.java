package org.transformer4j.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's process-wide state: loading its native code once, its thread settings, and what it runs on. Only
 * touched after {@link Nd4jBackendProvider} decided the platform can load the natives, so that merely
 * listing backends never fails on another platform.
 */
final class Nd4jRuntime {

    /**
     * JavaCPP, under ND4J, stops the process when its resident set exceeds 4 × the Java heap limit (its default
     * {@code maxPhysicalBytes}), calling {@code System.gc()} to find unreachable native memory and then
     * throwing {@code OutOfMemoryError}. Tensors here are freed when closed, not by the collector, and live
     * outside the heap (which {@code ./t4j} caps at 2 GiB), so that limit would only stop a model that is
     * larger than 8 GiB of tensors for no reason. Unless the user set it, it is turned off.
     */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    private Nd4jRuntime() {
    }

    /** Loads ND4J (once; repeated calls are free) and checks that it computes. */
    static synchronized void load() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        try (INDArray probe = Nd4j.createFromArray(1f, 2f, 3f)) {
            if (probe.sumNumber().floatValue() != 6f || probe.dataType() != DataType.FLOAT) {
                throw new IllegalStateException("ND4J loaded but computes wrong sums");
            }
        }
    }

    /**
     * Gives ND4J {@code threads} threads, process-wide: libnd4j splits an op over at most that many threads of its
     * pool ({@code maxMasterThreads}), and OpenBLAS uses that many. libnd4j's pool itself is sized once, when it
     * loads, from the {@code OMP_NUM_THREADS} environment variable or else the core count; its
     * {@code setMaxThreads} does nothing in this version. So more threads than the pool holds need
     * {@code OMP_NUM_THREADS} set before the JVM starts; fewer work as asked.
     */
    static synchronized void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** libnd4j's threads per op: the requested count, capped by its pool's size. */
    static int threads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    /**
     * The default thread count: one per physical core the JVM may use, i.e. the available processors (which
     * respect container limits), but no more than the physical cores JavaCPP counts, since OpenBLAS gains
     * nothing from a core's second hyper-thread.
     */
    static int defaultThreads() {
        int available = Runtime.getRuntime().availableProcessors();
        int cores = Loader.totalCores();
        return cores > 0 ? Math.max(1, Math.min(available, cores)) : available;
    }

    /** Facts about the loaded ND4J: BLAS, SIMD level of the native build and of the CPU, threads. */
    static Map<String, String> describe() {
        Map<String, String> details = new LinkedHashMap<>();
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        details.put("threads", threads() + " (pool of " + Nd4j.getEnvironment().maxThreads() + ")");
        details.put("blas", blasName(Nd4j.factory().blas().getBlasVendor().name()) + " ("
                + Nd4j.factory().blas().getMaxThreads() + " threads)");
        details.put("simd", String.format(Locale.ROOT, "libnd4j built for %s, CPU supports %s",
                simdLevel(ops.binaryLevel()), simdLevel(ops.optimalLevel())));
        return details;
    }

    private static String blasName(String vendor) {
        return switch (vendor) {
            case "OPENBLAS" -> "OpenBLAS";
            case "MKL" -> "MKL";
            default -> vendor.toLowerCase(Locale.ROOT);
        };
    }

    /** libnd4j's levels: 0 unknown, 1 generic x86-64, 2 AVX2, 3 AVX-512. */
    private static String simdLevel(int level) {
        return switch (level) {
            case 1 -> "generic x86-64";
            case 2 -> "AVX2";
            case 3 -> "AVX-512";
            default -> "unknown";
        };
    }
}
