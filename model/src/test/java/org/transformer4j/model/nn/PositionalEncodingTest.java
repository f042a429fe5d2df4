package org.transformer4j.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Backends;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Tensor;

class PositionalEncodingTest {

    @Test
    void interleavedIsThePapersFormula() {
        // d = 4: frequencies 1 and 1/10000^(2/4) = 1/100, sin and cos interleaved.
        float[] pe = PositionalEncoding.values(3, 4, false);
        assertArrayEquals(new float[] {0, 1, 0, 1}, java.util.Arrays.copyOfRange(pe, 0, 4));
        assertArrayEquals(new float[] {(float) Math.sin(2), (float) Math.cos(2), (float) Math.sin(0.02), (float) Math.cos(0.02)},
                java.util.Arrays.copyOfRange(pe, 8, 12));
    }

    @Test
    void concatenatedIsTensor2tensorsTimingSignal() {
        // d = 4: two timescales, 1 and 10⁴ (inc = ln(10⁴) / 1), sines first then cosines.
        float[] pe = PositionalEncoding.values(3, 4, true);
        assertArrayEquals(new float[] {(float) Math.sin(2), (float) Math.sin(2e-4), (float) Math.cos(2), (float) Math.cos(2e-4)},
                java.util.Arrays.copyOfRange(pe, 8, 12));
    }

    @Test
    void anyPositionCanBeLookedUpAndTheTableGrows() {
        try (Backend b = Backends.open("cpu", BackendOptions.threads(1));
                PositionalEncoding pe = new PositionalEncoding(b, 8, false)) {
            Tensor rows = pe.rows(new int[] {3, 5000});
            float[] far = PositionalEncoding.values(5001, 8, false);
            float[] got = rows.toFloatArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(far, 3 * 8, 4 * 8), java.util.Arrays.copyOfRange(got, 0, 8));
            assertArrayEquals(java.util.Arrays.copyOfRange(far, 5000 * 8, 5001 * 8), java.util.Arrays.copyOfRange(got, 8, 16));
            assertEquals(2, rows.shape().dim(0));
            rows.close();
        }
    }
}
