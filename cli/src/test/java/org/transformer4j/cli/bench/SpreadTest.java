package org.transformer4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void theMedianIsAProcesssOwnFigure() {
        assertEquals(new Spread(1, 2, 3), Spread.of(3, 1, 2));
        assertEquals(new Spread(1, 2, 9), Spread.of(9, 2, 1, 5)); // the lower middle one, not (2 + 5) / 2
        assertEquals(new Spread(4, 4, 4), Spread.of(4));
        assertEquals(2.0, Spread.of(2, 4).ratio());
        assertThrows(IllegalArgumentException.class, Spread::of);
    }
}
