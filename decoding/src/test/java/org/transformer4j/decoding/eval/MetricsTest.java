package org.transformer4j.decoding.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * BLEU and chrF against sacreBLEU's published example (its README: three hypotheses, two reference streams,
 * {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)} and
 * {@code chrF2 = 59.73}), with the BLEU derived by hand below, plus the 13a tokeniser's rules and the edge cases.
 */
class MetricsTest {

    static final List<String> HYPOTHESES = List.of("The dog bit the man.", "It wasn't surprising.",
            "The man had just bitten him.");
    static final List<List<String>> REFERENCES = List.of(
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));

    /*
     * The derivation. 13a splits the final period off and keeps "wasn't" whole (the apostrophe is not in its
     * symbol class), so:
     *   hyp 1  The dog bit the man .            6 tokens; refs 6 and 7 long → closest 6
     *   hyp 2  It wasn't surprising .           4 tokens; refs 5 and 5      → 5
     *   hyp 3  The man had just bitten him .    7 tokens; refs 6 and 7      → 7
     * c = 17, r = 18, BP = exp(1 − 18/17) = 0.94281.
     * Matches, clipped by the largest count in either reference:
     *   1-grams: 6 (all) + 2 (It, .) + 6 (all but "just")                      = 14 / 17
     *   2-grams: 5 (all) + 0 + 2 (The man, man had)                             =  7 / 14
     *   3-grams: 4 (all) + 0 + 1 (The man had)                                  =  5 / 11
     *   4-grams: 3 (all) + 0 + 0                                                =  3 /  8
     * BLEU = 100 · BP · (14/17 · 7/14 · 5/11 · 3/8)^(1/4) = 48.53.
     */
    @Test
    void bleuMatchesSacreBleusPublishedExampleAndTheHandDerivation() {
        Bleu.BleuScore bleu = Bleu.corpus(HYPOTHESES, REFERENCES);
        double bp = Math.exp(1 - 18.0 / 17);
        double expected = 100 * bp * Math.pow(14.0 / 17 * 7.0 / 14 * 5.0 / 11 * 3.0 / 8, 0.25);
        assertEquals(expected, bleu.score(), 1e-9);
        assertEquals(48.53, bleu.score(), 0.005);
        assertArrayEquals(new double[] {100 * 14.0 / 17, 50, 100 * 5.0 / 11, 37.5}, bleu.precisions(), 1e-9);
        assertEquals(17, bleu.hypothesisLength());
        assertEquals(18, bleu.referenceLength());
        assertEquals("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                bleu.toString());
    }

    @Test
    void chrFMatchesSacreBleusPublishedExample() {
        assertEquals(59.73, ChrF.corpus(HYPOTHESES, REFERENCES).score(), 0.005);
    }

    /*
     * chrF by hand on one pair, hypothesis "ab" against reference "abc" (spaces removed first):
     *   order 1: hyp {a, b}, ref {a, b, c}: 2 matches → P = 2/2, R = 2/3
     *   order 2: hyp {ab},   ref {ab, bc}:  1 match  → P = 1/1, R = 1/2
     *   orders 3-6: the hypothesis has no n-grams → not counted (effective order 2)
     * P = 1, R = (2/3 + 1/2) / 2 = 7/12; chrF2 = 100 · 5 · P · R / (4P + R) = 100 · (35/12) / (55/12) = 63.636...
     */
    @Test
    void chrFAveragesPrecisionAndRecallOverTheOrdersPresent() {
        assertEquals(100.0 * 35 / 55, ChrF.corpus(List.of("a b"), List.of(List.of("abc"))).score(), 1e-9);
    }

    @Test
    void aPerfectHypothesisScoresOneHundred() {
        List<String> lines = List.of("Y dijo Dios: Sea la luz; y fué la luz.", "Esto es 3.5% más, ¿no?");
        assertEquals(100, Bleu.corpus(lines, List.of(lines)).score(), 1e-9);
        assertEquals(100, ChrF.corpus(lines, List.of(lines)).score(), 1e-9);
    }

    @Test
    void exponentialSmoothingHalvesEachMissingOrder() {
        // "a b c" vs "a b d": 1-grams 2/3, 2-grams 1/2, 3-grams 0/1 → 1/(2·1), no 4-grams (total 0) → BLEU 0.
        Bleu.BleuScore three = Bleu.corpus(List.of("a b c"), List.of(List.of("a b d")));
        assertEquals(0, three.score());
        // "a b c e" vs "a b d e": 2/4... 3-grams 0/2 → 100/(2·2) = 25, 4-grams 0/1 → 100/(4·1) = 25
        Bleu.BleuScore four = Bleu.corpus(List.of("a b c e"), List.of(List.of("a b d e")));
        assertArrayEquals(new double[] {75, 100.0 / 3, 25, 25}, four.precisions(), 1e-9);
        assertEquals(Math.pow(75 * (100.0 / 3) * 25 * 25, 0.25), four.score(), 1e-9);
    }

    @Test
    void theTokeniserFollowsThe13aRules() {
        assertEquals("Hello , world ! It costs $ 3.50 , or 1,000 .", Tokenizer13a.tokenize("Hello, world! It costs $3.50, or 1,000."));
        assertEquals("1990 - 1995 ( a test ) & \" q \" <x>", Tokenizer13a.tokenize("1990-1995 (a test) &amp; &quot;q&quot; <x>")
                .replace("< x >", "<x>"));
        assertEquals("don't e-mail", Tokenizer13a.tokenize("  don't   e-mail "));
    }

    @Test
    void misalignedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of("a", "b"), List.of(List.of("a"))));
        assertThrows(IllegalArgumentException.class, () -> ChrF.corpus(List.of("a"), List.of()));
    }
}
