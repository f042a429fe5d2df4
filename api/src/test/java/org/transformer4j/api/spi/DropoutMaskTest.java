package org.transformer4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DropoutMaskTest {

    @Test
    void uniformNumbersAreInTheUnitIntervalAndEvenlySpread() {
        int n = 200_000;
        int[] buckets = new int[10];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float u = DropoutMask.uniform(42, i);
            assertTrue(u >= 0 && u < 1, "u=" + u);
            buckets[(int) (u * 10)]++;
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.005);
        for (int b : buckets) {
            assertEquals(n / 10.0, b, n / 10.0 * 0.05);
        }
    }

    @Test
    void theFirstValuesAreFixedByTheDefinition() {
        // SplitMix64 with seed 0: the generator's well-known first output is 0xE220A8397B1DCDAF.
        assertEquals((0xE220A8397B1DCDAFL >>> 40) * 0x1.0p-24f, DropoutMask.uniform(0, 0));
    }
}
