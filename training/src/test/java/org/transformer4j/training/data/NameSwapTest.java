package org.transformer4j.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class NameSwapTest {

    /** A character "tokenizer" that the test can read back: one token per character. */
    private static final Function<String, int[]> CHARS = s -> s.codePoints().toArray();

    private static String text(int[] ids) {
        return new String(ids, 0, ids.length);
    }

    private static final ParallelText TEXT = ParallelText.of("es", List.of(
            "Y David dijo á Joab: He aquí.",
            "Entonces habló Jehová á Moisés.",
            "No hay lot aquí",
            "Y Absalom huyó; Absalom lloró.",
            "Sansón y Lot"), "en", List.of(
            "David said to Joab, “Behold.”",
            "Then Yahweh spoke to Moses.",
            "There is no lot here",
            "Absalom fled; Absalom wept.",
            "Samson and Lot"));

    private static Examples kept() {
        return Examples.encode(TEXT, CHARS, CHARS, 1000);
    }

    @Test
    void findsTheCapitalisedWordsBothSidesHaveThatTheCorpusNeverWritesInLowerCase() {
        NameSwap swap = NameSwap.of(TEXT, kept(), CHARS, CHARS, 1000, 1.0);
        // "Lot" is on both sides of the last pair, but "lot" is an ordinary word of the corpus
        assertEquals(List.of("Absalom", "David", "Joab", "Sansón/Samson"), swap.names());
        assertEquals(3, swap.pairs());
        // made-up names are spliced from the names of either side, translated ones too
        assertTrue(swap.pool().containsAll(List.of("Absalom", "David", "Joab", "Moisés", "Moses", "Jehová", "Yahweh", "Sansón")),
                swap.pool().toString());
        assertTrue(!swap.pool().contains("Lot"), swap.pool().toString()); // "lot" is an ordinary word of the corpus
    }

    @Test
    void swapsTheSameMadeUpNameIntoBothSidesAndLeavesTheRestOfThePairAlone() {
        Examples kept = kept();
        NameSwap swap = NameSwap.of(TEXT, kept, CHARS, CHARS, 1000, 1.0);
        List<Example> epoch = swap.apply(kept.list(), 7, 0);
        assertEquals(kept.size(), epoch.size());
        for (int i : new int[] {1, 2}) {
            assertSame(kept.list().get(i), epoch.get(i), "pair " + i + " has no name to swap");
        }
        String source = text(epoch.get(3).source());
        String target = text(epoch.get(3).target());
        String madeUp = source.substring(2, source.indexOf(' ', 2));
        assertNotEquals("Absalom", madeUp);
        assertEquals("Y " + madeUp + " huyó; " + madeUp + " lloró.", source);
        assertEquals(madeUp + " fled; " + madeUp + " wept.", target);
        String first = text(epoch.get(0).source());
        assertTrue(!first.contains("David") || !first.contains("Joab"), "one of the two names is swapped: " + first);
    }

    @Test
    void aNameThatEachSideHasAloneIsATranslationAndGetsTheSameMadeUpNameOnBothSides() {
        Examples kept = kept();
        NameSwap swap = NameSwap.of(TEXT, kept, CHARS, CHARS, 1000, 1.0);
        Example swapped = swap.apply(kept.list(), 7, 0).get(4);
        String source = text(swapped.source());
        String target = text(swapped.target());
        String madeUp = source.substring(0, source.indexOf(' '));
        assertTrue(!madeUp.equals("Sansón") && !madeUp.equals("Samson"), madeUp);
        assertEquals(madeUp + " y Lot", source);
        assertEquals(madeUp + " and Lot", target);
    }

    @Test
    void namesThatCannotBePairedOneToOneAreNotSwapped() {
        // three unpaired names a side ("Entonces habló Jehová á Moisés"): which is whose translation is not known
        ParallelText text = ParallelText.of("es", List.of("Entonces habló Jehová á Moisés.", "Y David dijo á Joab."),
                "en", List.of("Then Yahweh spoke to Moses.", "David said to Joab, “Behold.”"));
        NameSwap swap = NameSwap.of(text, Examples.encode(text, CHARS, CHARS, 1000), CHARS, CHARS, 1000, 1.0);
        assertEquals(List.of("David", "Joab"), swap.names());
        assertEquals(1, swap.pairs());
    }

    @Test
    void theSameSeedAndEpochGiveTheSameExamplesAndAnotherEpochOthers() {
        Examples kept = kept();
        NameSwap swap = NameSwap.of(TEXT, kept, CHARS, CHARS, 1000, 1.0);
        assertEquals(texts(swap.apply(kept.list(), 3, 5)), texts(swap.apply(kept.list(), 3, 5)));
        List<List<String>> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < 6; epoch++) {
            epochs.add(texts(swap.apply(kept.list(), 3, epoch)));
        }
        assertTrue(epochs.stream().distinct().count() > 3, "made-up names change from epoch to epoch: " + epochs);
    }

    @Test
    void swapsAboutTheGivenShareOfThePairs() {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        String[] names = {"Abimelech", "Jeroboam", "Eleazar", "Balaam", "Samuel"};
        for (int i = 0; i < 1000; i++) {
            source.add("Y " + names[i % names.length] + " fué");
            target.add(names[i % names.length] + " went");
        }
        ParallelText text = ParallelText.of("es", source, "en", target);
        Examples kept = Examples.encode(text, CHARS, CHARS, 1000);
        NameSwap swap = NameSwap.of(text, kept, CHARS, CHARS, 1000, 0.3);
        List<Example> epoch = swap.apply(kept.list(), 1, 0);
        long swapped = 0;
        for (int i = 0; i < epoch.size(); i++) {
            swapped += epoch.get(i) == kept.list().get(i) ? 0 : 1;
        }
        assertTrue(swapped > 240 && swapped < 360, swapped + " of 1000 swapped at share 0.3");
    }

    @Test
    void aSwapThatWouldMakeASideTooLongIsNotMade() {
        Examples kept = Examples.encode(TEXT, CHARS, CHARS, 1000);
        int longest = kept.list().stream().mapToInt(e -> Math.max(e.source().length, e.target().length)).max().orElseThrow();
        NameSwap swap = NameSwap.of(TEXT, kept, CHARS, CHARS, longest, 1.0);
        List<Example> epoch = swap.apply(kept.list(), 1, 0);
        for (int i = 0; i < epoch.size(); i++) {
            assertTrue(epoch.get(i).source().length <= longest && epoch.get(i).target().length <= longest);
        }
    }

    @Test
    void madeUpNamesAreSplicedFromTwoNamesOfEitherSideAndAreNotTheOneReplaced() {
        NameSwap swap = NameSwap.of(TEXT, kept(), CHARS, CHARS, 1000, 1.0);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            String name = swap.madeUp(random, "David");
            assertNotEquals("David", name);
            assertTrue(Character.isUpperCase(name.charAt(0)) && name.substring(1).chars().allMatch(Character::isLowerCase), name);
            assertTrue(swap.pool().stream().anyMatch(n -> name.startsWith(n.substring(0, 2))), name);
            assertTrue(swap.pool().stream().anyMatch(n -> name.endsWith(n.substring(n.length() - 2))), name);
        }
    }

    @Test
    void refusesAShareOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> NameSwap.of(TEXT, kept(), CHARS, CHARS, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> NameSwap.of(TEXT, kept(), CHARS, CHARS, 1000, 1.5));
    }

    @Test
    void keepsTheLinesOfThePairsItSkipped() {
        ParallelText text = ParallelText.of("es", List.of("", "Y David fué", "Y Joab fué"), "en",
                List.of("x", "David went", "Joab went"));
        Examples kept = Examples.encode(text, CHARS, CHARS, 1000);
        assertEquals(List.of(1, 2), Arrays.stream(kept.lines()).boxed().toList());
        NameSwap swap = NameSwap.of(text, kept, CHARS, CHARS, 1000, 1.0);
        List<Example> epoch = swap.apply(kept.list(), 1, 0);
        assertTrue(text(epoch.get(0).target()).endsWith(" went") && !text(epoch.get(0).target()).startsWith("David"));
        assertTrue(text(epoch.get(1).target()).endsWith(" went") && !text(epoch.get(1).target()).startsWith("Joab"));
    }

    private static List<String> texts(List<Example> examples) {
        return examples.stream().map(e -> text(e.source()) + " | " + text(e.target())).toList();
    }

}
