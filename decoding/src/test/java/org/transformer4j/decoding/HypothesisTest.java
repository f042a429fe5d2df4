package org.transformer4j.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Line-based outputs get every translation on one line, whatever byte tokens the model emitted. */
class HypothesisTest {

    @Test
    void lineBreaksBecomeSpacesAndOtherTextIsLeftAlone() {
        Hypothesis h = new Hypothesis("a\nb\r\nc\rd\te", new int[0], -1, -1);
        assertEquals("a b c d\te", h.textOnOneLine());
        assertEquals("a\nb\r\nc\rd\te", h.text(), "the text itself is kept");
        String plain = "Y dijo Dios";
        assertSame(plain, new Hypothesis(plain, new int[0], -1, -1).textOnOneLine());
        assertEquals("x y", new Translation("s", List.of(new Hypothesis("x\ny", new int[0], -1, -1)), null).bestOnOneLine());
        assertEquals("", new Translation("s", List.of(), "w").bestOnOneLine());
    }
}
