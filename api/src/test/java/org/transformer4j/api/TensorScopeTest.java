package org.transformer4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.spi.FakeTensor;

class TensorScopeTest {

    @Test
    void closesWhatWasCreatedInsideItNewestFirst() {
        StringBuilder order = new StringBuilder();
        FakeTensor outside = new FakeTensor("o", order);
        FakeTensor a;
        FakeTensor b;
        try (TensorScope scope = TensorScope.open()) {
            a = new FakeTensor("a", order);
            b = new FakeTensor("b", order);
            assertEquals(2, scope.size());
        }
        assertTrue(a.isClosed() && b.isClosed());
        assertFalse(outside.isClosed(), "tensors made outside any scope belong to their caller");
        assertEquals("ba", order.toString());
        outside.close();
    }

    @Test
    void keepHandsATensorToTheEnclosingScope() {
        FakeTensor kept;
        FakeTensor dropped;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                dropped = new FakeTensor("d", null);
                kept = inner.keep(new FakeTensor("k", null));
            }
            assertTrue(dropped.isClosed());
            assertFalse(kept.isClosed());
            assertEquals(1, outer.size());
        }
        assertTrue(kept.isClosed());
    }

    @Test
    void detachGivesOwnershipToTheCaller() {
        FakeTensor detached;
        try (TensorScope scope = TensorScope.open()) {
            detached = scope.detach(new FakeTensor("x", null));
        }
        assertFalse(detached.isClosed());
        detached.close();
    }

    @Test
    void takeOwnershipRemovesATensorFromWhicheverScopeOwnsIt() {
        FakeTensor taken;
        try (TensorScope outer = TensorScope.open()) {
            FakeTensor early = new FakeTensor("e", null);
            try (TensorScope inner = TensorScope.open()) {
                taken = TensorScope.takeOwnership(early);
                assertEquals(0, outer.size());
            }
        }
        assertFalse(taken.isClosed());
        taken.close();
    }

    @Test
    void scopesCloseInReverseOrderOnTheirOwnThread() throws Exception {
        TensorScope outer = TensorScope.open();
        TensorScope inner = TensorScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Exception e = other.submit(() -> {
                try {
                    inner.close();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }).get();
            assertTrue(e instanceof IllegalStateException);
        } finally {
            other.shutdown();
        }
        inner.close();
        outer.close();
        inner.close(); // idempotent
    }

    @Test
    void tensorsCreatedOnAnotherThreadAreNotOwned() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (TensorScope scope = TensorScope.open()) {
            FakeTensor t = other.submit(() -> new FakeTensor("t", null)).get();
            assertEquals(0, scope.size());
            t.close();
        } finally {
            other.shutdown();
        }
    }
}
