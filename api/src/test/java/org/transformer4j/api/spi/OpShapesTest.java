package org.transformer4j.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Shape;

class OpShapesTest {

    @Test
    void matmulShapes() {
        assertEquals(Shape.of(3, 5), OpShapes.matmul(Shape.of(3, 4), Shape.of(4, 5), false, false));
        assertEquals(Shape.of(3, 5), OpShapes.matmul(Shape.of(4, 3), Shape.of(5, 4), true, true));
        assertEquals(Shape.of(2, 8, 3, 3), OpShapes.matmul(Shape.of(2, 8, 3, 64), Shape.of(2, 8, 3, 64), false, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpShapes.matmul(Shape.of(3, 4), Shape.of(5, 6), false, false));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpShapes.matmul(Shape.of(2, 3, 4), Shape.of(3, 4, 5), false, false));
        assertThrows(IllegalArgumentException.class, () -> OpShapes.matmul(Shape.of(3, 4, 5), Shape.of(5, 6), false, false));
        assertThrows(IllegalArgumentException.class, () -> OpShapes.matmul(Shape.of(4), Shape.of(4), false, false));
    }

    @Test
    void crossEntropyAcceptsTheIgnoreIndexOnly() {
        assertEquals(Shape.of(2), OpShapes.crossEntropy(Shape.of(2, 5), new int[] {4, -1}, 0.1f, -1));
        assertThrows(IllegalArgumentException.class, () -> OpShapes.crossEntropy(Shape.of(2, 5), new int[] {4, -2}, 0.1f, -1));
    }

    @Test
    void softmaxMasksBroadcast() {
        OpShapes.softmaxMask(Shape.of(2, 8, 5, 5), Shape.of(2, 1, 1, 5));
        OpShapes.softmaxMask(Shape.of(2, 8, 5, 5), Shape.of(1, 1, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> OpShapes.softmaxMask(Shape.of(2, 8, 5, 5), Shape.of(2, 2, 5, 5)));
    }
}
