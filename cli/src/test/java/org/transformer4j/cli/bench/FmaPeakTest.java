package org.transformer4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** No timing assertions (the machines are shared): only that the figures are measurements, not nonsense. */
class FmaPeakTest {

    /** GFLOP/s no core reaches: 64 FLOP per cycle (two 512-bit FMA pipes, 16 lanes, 2 FLOP each) at 5 GHz. */
    private static final double IMPOSSIBLE_PER_THREAD = 64 * 5.0;

    @Test
    void onePerThreadFigureAndOneForAllThreads() {
        FmaPeak peak = FmaPeak.measure(2);
        assertTrue(peak.perThread() > 0 && peak.perThread() < IMPOSSIBLE_PER_THREAD, peak.toString());
        assertTrue(peak.total() > 0 && peak.total() < 2 * IMPOSSIBLE_PER_THREAD, peak.toString());
        assertEquals(2, peak.threads());
    }

    @Test
    void aPeakOnTwoThreadsUnderTwiceOneThreadsSaysTheCoresWereShared() {
        assertTrue(new FmaPeak(116, 117, 2).shared(), "one core's worth on two threads");
        assertTrue(!new FmaPeak(116, 230, 2).shared(), "two cores' worth");
        assertTrue(!new FmaPeak(116, 116, 1).shared(), "one thread is never shared with itself");
    }

    @Test
    void oneThreadIsOneMeasurement() {
        FmaPeak peak = FmaPeak.measure(1);
        assertTrue(Double.isFinite(peak.perThread()) && peak.perThread() > 0, peak.toString());
        assertEquals(peak.perThread(), peak.total());
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.measure(0));
    }

    @Test
    void theLoopComputesWhatItCounts() {
        // 12 chains × lanes × 2 FLOP per iteration; the values converge to 1, never to infinity or NaN.
        assertEquals(2.0 * 12 * jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() * 10, FmaPeak.flops(10));
        float sum = FmaPeak.chains(100_000, 3);
        assertEquals(12f, sum, 1e-3f);
    }
}
