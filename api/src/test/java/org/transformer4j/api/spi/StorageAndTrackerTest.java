package org.transformer4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StorageAndTrackerTest {

    @Test
    void storageIsFreedOnceWhenItsLastTensorCloses() {
        FakeTensor t = new FakeTensor("t", null);
        FakeTensor.FakeStorage s = t.storage();
        t.close();
        t.close();
        assertEquals(1, s.frees);
        assertThrows(IllegalStateException.class, t::storage);
    }

    @Test
    void trackerCountsInUseAndPeak() {
        MemoryTracker m = new MemoryTracker();
        m.allocated(100);
        m.allocated(50);
        m.freed(100);
        assertEquals(50, m.inUse());
        assertEquals(150, m.stats(7).peak());
        assertEquals(7, m.stats(7).cached());
    }
}
