package org.transformer4j.backend.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Tensor memory outside the Java heap, from the C library's allocator through the foreign-function API:
 * {@code aligned_alloc} (64-byte aligned, for whole-cache-line vector loads) and {@code free}. Memory is
 * returned the moment a tensor's storage is released, never left to the garbage collector, so the process's
 * resident set follows the tensors in use.
 *
 * <p>On glibc, allocations of 256 KiB and more are set to come straight from {@code mmap}, so that freeing them
 * gives the pages back to the system at once instead of keeping them in the allocator's heap.
 */
final class NativeMemory {

    private static final long ALIGNMENT = 64;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle ALIGNED_ALLOC = LINKER.downcallHandle(symbol("aligned_alloc"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(symbol("free"),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    static {
        // glibc's M_MMAP_THRESHOLD is -3; other C libraries lack mallopt, and then nothing needs doing.
        Optional<MemorySegment> mallopt = LIBC.find("mallopt");
        if (mallopt.isPresent()) {
            try {
                LINKER.downcallHandle(mallopt.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT)).invokeExact(-3, 256 * 1024);
            } catch (Throwable e) {
                // only a tuning: the allocator works without it
            }
        }
    }

    private NativeMemory() {
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
    }

    /** {@code bytes} of uninitialised memory, 64-byte aligned. */
    static MemorySegment allocate(long bytes) {
        long size = Math.max(ALIGNMENT, (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        MemorySegment address;
        try {
            address = (MemorySegment) ALIGNED_ALLOC.invokeExact(ALIGNMENT, size);
        } catch (Throwable e) {
            throw new IllegalStateException("aligned_alloc failed", e);
        }
        if (address.address() == 0) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory for a tensor");
        }
        return address.reinterpret(bytes);
    }

    static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable e) {
            throw new IllegalStateException("free failed", e);
        }
    }
}
