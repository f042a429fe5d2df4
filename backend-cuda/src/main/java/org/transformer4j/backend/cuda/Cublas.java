package org.transformer4j.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import org.transformer4j.api.BackendException;

/**
 * cuBLAS through Java's foreign function API, looked up by name in the first of {@code libcublas.so.13},
 * {@code .so.12}, {@code .so.11} that loads. JCublas links {@code libcublas.so.12} with versioned symbols and so
 * cannot load where only CUDA 13's library is; the six functions used here have kept their names and signatures
 * from CUDA 11 to 13.
 *
 * <p>Row-major products as cuBLAS's column-major ones: a row-major matrix is its transpose in column-major order,
 * so C = op(A)·op(B) (m×n) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ, with the operands swapped; see {@link #gemm}.
 */
final class Cublas implements AutoCloseable {

    static final List<String> LIBRARIES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11");

    static final int OP_N = 0;
    static final int OP_T = 1;
    private static final int DEFAULT_MATH = 0;
    private static final int TF32_TENSOR_OP_MATH = 3;

    /** The library that loaded, or why none did. */
    record Library(String name, SymbolLookup lookup, String problem) {
        boolean found() {
            return lookup != null;
        }
    }

    private static volatile Library library;

    /** Finds cuBLAS once per JVM; never throws. */
    static Library library() {
        Library l = library;
        if (l == null) {
            synchronized (Cublas.class) {
                l = library;
                if (l == null) {
                    l = find(LIBRARIES);
                    library = l;
                }
            }
        }
        return l;
    }

    static Library find(List<String> names) {
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                if (lookup.find("cublasSgemm_v2").isPresent()) {
                    return new Library(name, lookup, "");
                }
                failures.add(name + " has no cublasSgemm_v2");
            } catch (IllegalArgumentException e) {
                failures.add(name);
            }
        }
        return new Library(null, null, "cuBLAS not found (tried " + String.join(", ", failures) + ")");
    }

    private final MethodHandle sgemm;
    private final MethodHandle sgemmStridedBatched;
    private final MethodHandle destroy;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment one;
    private final MemorySegment zero;

    /** A cuBLAS handle in the current context, on {@code stream}; {@code tf32} lets products use TF32 tensor cores. */
    Cublas(long stream, boolean tf32) {
        Library lib = library();
        if (!lib.found()) {
            throw new BackendException("cuda: " + lib.problem());
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(symbol(lib, "cublasCreate_v2"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = linker.downcallHandle(symbol(lib, "cublasSetStream_v2"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle setMathMode = linker.downcallHandle(symbol(lib, "cublasSetMathMode"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        sgemm = linker.downcallHandle(symbol(lib, "cublasSgemm_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT));
        sgemmStridedBatched = linker.downcallHandle(symbol(lib, "cublasSgemmStridedBatched"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                        ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT,
                        JAVA_LONG, JAVA_INT));
        destroy = linker.downcallHandle(symbol(lib, "cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        one = arena.allocateFrom(JAVA_FLOAT, 1f); // alpha and beta live in host memory (the default pointer mode)
        zero = arena.allocateFrom(JAVA_FLOAT, 0f);
        MemorySegment out = arena.allocate(ADDRESS);
        check(invoke(create, out), "cublasCreate_v2");
        handle = out.get(ADDRESS, 0);
        check(invoke(setStream, handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2");
        check(invoke(setMathMode, handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
    }

    /**
     * {@code batches} products C_i = op(A_i)·op(B_i) of row-major operands packed one after the other (A_i is m×k
     * as op(A) sees it, stored k×m when transA; B_i likewise k×n, stored n×k when transB), C_i m×n.
     */
    void gemm(boolean transA, boolean transB, int batches, int m, int n, int k, long a, long b, long c) {
        Call g = Call.of(transA, transB, m, n, k);
        // The first operand of the column-major call is our B, the second our A.
        if (batches == 1) {
            check(invoke(sgemm, handle, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), one, MemorySegment.ofAddress(b),
                    g.ldFirst(), MemorySegment.ofAddress(a), g.ldSecond(), zero, MemorySegment.ofAddress(c), g.ldc()),
                    "cublasSgemm_v2");
        } else {
            check(invoke(sgemmStridedBatched, handle, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), one,
                    MemorySegment.ofAddress(b), g.ldFirst(), (long) k * n, MemorySegment.ofAddress(a), g.ldSecond(),
                    (long) m * k, zero, MemorySegment.ofAddress(c), g.ldc(), (long) m * n, batches),
                    "cublasSgemmStridedBatched");
        }
    }

    /**
     * The column-major call {@code C' = op1(X)·op2(Y)} (sizes m×n by k, leading dimensions as BLAS defines them)
     * that computes our row-major C = op(A)·op(B): C' is Cᵀ (n×m, leading dimension n) = op(B)ᵀ·op(A)ᵀ, with X our
     * stored B and Y our stored A. Read column-major, the stored B is Bᵀ (n×k, ld n) when not transposed and B
     * (k×n, ld k) when it is, so op1 is N or T respectively; likewise A.
     */
    record Call(int opFirst, int opSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {
        static Call of(boolean transA, boolean transB, int m, int n, int k) {
            return new Call(transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k, transB ? k : n, transA ? m : k, n);
        }
    }

    @Override
    public void close() {
        try {
            invoke(destroy, handle);
        } finally {
            arena.close();
        }
    }

    private static MemorySegment symbol(Library lib, String name) {
        return lib.lookup().find(name).orElseThrow(
                () -> new BackendException("cuda: " + lib.name() + " has no function " + name));
    }

    private static int invoke(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new BackendException("cuda: cuBLAS call failed: " + e, e);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new BackendException("cuda: " + call + " failed with cuBLAS status " + status + statusName(status));
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 1 -> " (NOT_INITIALIZED)";
            case 3 -> " (ALLOC_FAILED)";
            case 7 -> " (INVALID_VALUE)";
            case 8 -> " (ARCH_MISMATCH)";
            case 11 -> " (MAPPING_ERROR)";
            case 13 -> " (EXECUTION_FAILED)";
            case 14 -> " (INTERNAL_ERROR)";
            case 15 -> " (NOT_SUPPORTED)";
            default -> "";
        };
    }
}
