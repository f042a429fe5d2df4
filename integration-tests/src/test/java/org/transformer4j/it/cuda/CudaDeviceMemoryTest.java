package org.transformer4j.it.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendException;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.it.conformance.BackendsUnderTest;

/**
 * A full device gives one clear line, with the request and the device's free and total memory, and no crash;
 * the backend stays usable and its memory returns to the baseline. Skipped, with the provider's reason, where
 * there is no GPU.
 */
class CudaDeviceMemoryTest {

    /** One line: the request, what the device has free of its total, what our tensors hold. */
    private static final String MESSAGE =
            "cuda: out of device memory: [0-9.]+ MiB requested, [0-9.]+ MiB free of [0-9.]+ GiB, [0-9.]+ MiB held by tensors";

    private Backend backend;

    @BeforeEach
    void open() {
        BackendsUnderTest.assumeAvailable("cuda");
        backend = Backends.open("cuda", BackendOptions.defaults());
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aRequestLargerThanTheDeviceIsOneLineAndTheBackendGoesOn() {
        long baseline = backend.memory().inUse();
        // 2^40 floats, 4 TiB: more than any GPU has
        BackendException e = assertThrows(BackendException.class, () -> backend.zeros(Shape.of(1 << 20, 1 << 20)));
        assertTrue(e.getMessage().matches(MESSAGE), e.getMessage());
        assertEquals(baseline, backend.memory().inUse());
        try (Tensor t = backend.zeros(Shape.of(1024, 1024))) {
            assertEquals(0f, backend.toHost(t)[1024 * 1024 - 1]);
        }
    }

    /**
     * Fills the device with 8 GiB tensors until it refuses one (the cached blocks are freed and the request retried
     * first), then releases them: the backend's count returns to the baseline and the memory can be taken again.
     */
    @Test
    void aFullDeviceRefusesWithOneLineAndIsUsableAgainOnceItsTensorsAreClosed() {
        long baseline = backend.memory().inUse();
        List<Tensor> held = new ArrayList<>();
        Shape eightGiB = Shape.of(2048, 1 << 20);
        BackendException e = null;
        try {
            for (int i = 0; i < 64 && e == null; i++) { // 512 GiB: more than any GPU has
                try {
                    held.add(backend.zeros(eightGiB));
                } catch (BackendException full) {
                    e = full;
                }
            }
        } finally {
            held.forEach(Tensor::close);
        }
        assertTrue(e != null, "the device took 512 GiB");
        assertTrue(e.getMessage().matches(MESSAGE), e.getMessage());
        assertFalse(held.isEmpty(), "not even one 8 GiB tensor fitted: " + e.getMessage());
        System.out.printf("cuda: %d tensors of 8 GiB fitted; then: %s%n", held.size(), e.getMessage());
        assertEquals(baseline, backend.memory().inUse());
        List<Tensor> again = new ArrayList<>();
        try {
            for (int i = 0; i < held.size(); i++) {
                again.add(backend.zeros(eightGiB));
            }
        } finally {
            again.forEach(Tensor::close);
        }
        assertEquals(baseline, backend.memory().inUse());
    }
}
