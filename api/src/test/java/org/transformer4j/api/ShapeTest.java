package org.transformer4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void describesItsDimensions() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(3, s.rank());
        assertEquals(24, s.size());
        assertEquals(4, s.dim(-1));
        assertEquals(2, s.dim(0));
        assertEquals(4, s.last());
        assertEquals(6, s.rows());
        assertEquals("[2, 3, 4]", s.toString());
        assertEquals(Shape.of(2, 4), s.drop(1));
        assertEquals(Shape.of(2, 3, 9), s.withLast(9));
        assertEquals(12, s.product(1, 3));
    }

    @Test
    void isImmutableAndComparedByValue() {
        int[] dims = {5, 6};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        assertEquals(Shape.of(5, 6), s);
        s.toArray()[0] = 77;
        assertEquals(5, s.dim(0));
        assertEquals(Shape.of(5, 6).hashCode(), s.hashCode());
        assertNotEquals(Shape.of(6, 5), s);
    }

    @Test
    void aScalarHasOneElement() {
        assertEquals(0, Shape.of().rank());
        assertEquals(1, Shape.of().size());
        assertEquals(Shape.of(), Shape.of(7).drop(0));
    }

    @Test
    void suffixes() {
        assertTrue(Shape.of(2, 3, 4).endsWith(Shape.of(3, 4)));
        assertTrue(Shape.of(2, 3, 4).endsWith(Shape.of()));
        assertFalse(Shape.of(2, 3, 4).endsWith(Shape.of(2, 3)));
        assertFalse(Shape.of(4).endsWith(Shape.of(1, 4)));
    }

    @Test
    void rejectsEmptyDimensionsAndBadAxes() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).dim(2));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).dim(-3));
        assertThrows(ArithmeticException.class, () -> Shape.of(1 << 30, 1 << 30, 1 << 30));
        assertThrows(IllegalStateException.class, () -> Shape.of(1 << 16, 1 << 16).intSize());
    }
}
