package org.transformer4j.decoding.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The penalties against loops, each against values computed by hand. */
class TokenPenaltiesTest {

    @Test
    void theRepetitionPenaltyDividesPositiveLogitsAndMultipliesNegativeOnesOncePerToken() {
        float[] logits = {2f, -1f, 0.5f, 3f, 0f};
        // tokens 0 (twice), 1 and 4 occurred; 2 and 3 did not
        new RepetitionPenalty(2).apply(logits, 0, new int[] {0, 1, 0, 4}, 4);
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 3f, 0f}, logits);
        float[] shifted = {9f, 9f, 2f, -1f};
        new RepetitionPenalty(1.5).apply(shifted, 2, new int[] {0, 1, 7}, 2); // offset 2; only the first 2 count
        assertArrayEquals(new float[] {9f, 9f, 2f / 1.5f, -1.5f}, shifted, 1e-7f);
    }

    @Test
    void thePenalisedRowIsRenormalised() {
        float[] row = {2f, -1f, 0.5f, 3f};
        new TokenPenalties(0, 2).logProbabilities(row, 0, 4, new int[] {0, 1}, 2);
        // logits 1, -2, 0.5, 3 after the penalty; log Σ exp = log(e + e^-2 + e^0.5 + e^3)
        double logSum = Math.log(Math.exp(1) + Math.exp(-2) + Math.exp(0.5) + Math.exp(3));
        double[] expected = {1 - logSum, -2 - logSum, 0.5 - logSum, 3 - logSum};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], row[i], 1e-6, "token " + i);
        }
    }

    @Test
    void aTokenThatWouldCompleteAPresentNgramIsBanned() {
        int[] history = {5, 6, 7, 5, 6};
        assertArrayEquals(banned(3, history), new boolean[] {false, false, false, false, false, false, false, true, false});
        // bigrams ending the history in "6": "6 7" is present, so 7 is banned
        assertArrayEquals(banned(2, history), new boolean[] {false, false, false, false, false, false, false, true, false});
        // size 1: no token twice
        assertArrayEquals(banned(1, history), new boolean[] {false, false, false, false, false, true, true, true, false});
        // a 4-gram "x 5 6 ?" never occurred
        assertArrayEquals(banned(4, history), new boolean[9]);
        // "5 5" then 5 again would repeat "5 5"
        assertArrayEquals(banned(2, new int[] {5, 5}), new boolean[] {false, false, false, false, false, true, false, false,
                false});
        assertArrayEquals(banned(0, history), new boolean[9]);
    }

    @Test
    void aRepeatedNgramInAPrefixIsFound() {
        assertEquals(3, new NoRepeatNgram(2).firstRepeat(new int[] {5, 6, 7, 5, 6}));
        assertEquals(-1, new NoRepeatNgram(3).firstRepeat(new int[] {5, 6, 7, 5, 6}));
        assertEquals(1, new NoRepeatNgram(2).firstRepeat(new int[] {5, 5, 5}));
        assertEquals(-1, new NoRepeatNgram(0).firstRepeat(new int[] {5, 5, 5}));
    }

    @Test
    void theCoveragePenaltySumsTheLogOfEachSourceTokensCappedCoverage() {
        double[] coverage = {0.5, 1.2, 0.25};
        assertEquals(0.2 * (Math.log(0.5) + 0 + Math.log(0.25)), new CoveragePenalty(0.2).of(coverage), 1e-12);
        assertEquals(0, new CoveragePenalty(0.2).of(new double[] {1, 3}), 0);
        assertEquals(0, CoveragePenalty.NONE.of(coverage), 0);
        assertArrayEquals(new double[] {1.0, 1.25}, CoveragePenalty.plus(new double[] {0.5, 1}, new float[] {0.5f, 0.25f}));
    }

    @Test
    void valuesOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NoRepeatNgram(-1));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(0));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(-1.2));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new CoveragePenalty(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new CoveragePenalty(Double.NaN));
        assertTrue(new RepetitionPenalty(0.8).active(), "below 1 favours repetition: allowed, as in Hugging Face");
        assertFalse(TokenPenalties.NONE.active());
    }

    private static boolean[] banned(int n, int[] history) {
        float[] row = new float[9];
        new NoRepeatNgram(n).ban(row, 0, history, history.length);
        boolean[] out = new boolean[9];
        for (int i = 0; i < 9; i++) {
            out[i] = row[i] == Float.NEGATIVE_INFINITY;
        }
        return out;
    }
}
