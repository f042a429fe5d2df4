package org.transformer4j.training.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Teaches a model to copy names it has never seen: each epoch, in a share of the pairs that have a name on both
 * sides ("David" and "David", or "Moisés" and "Moses"), that name is replaced on both sides by the same made-up one,
 * spliced from two names of either side of the corpus ("Abi" + "salom", "Fara" + "ón").
 *
 * <p>Why: a model learns the names of its training text one by one, as words to translate; a name that its training
 * text lacks comes out as whatever known word resembles it ("Assyria" for "Assuero"), even when the two languages spell
 * it the same ("Esther"). Copying whole target sentences into the source teaches copying in general (Currey et al.,
 * 2017, "Copied Monolingual Data Improves Low-Resource Neural Machine Translation"); swapping the names alone teaches
 * it where names stand, without sentences that are not translations, and costs no extra updates.
 *
 * <p>A name, here, is a capitalised word of three letters or more whose lower-case form the corpus never has (so "He",
 * "No" or "Lot" are not names). A pair has a name on both sides when both sides write it the same (it carries it
 * over), or when, those aside, each side has exactly one name left (a translated name: with more than one a side,
 * which is whose translation is not known). Swapping translated names too gives twice the pairs to copy in, and in
 * the contexts where names are translated rather than kept. The made-up names are new each epoch, so that the model
 * cannot learn them as words either.
 */
public final class NameSwap implements Augmentation {

    private static final Pattern CAPITALISED = wholeWord("\\p{Lu}[\\p{Ll}\\p{M}]{2,}");
    private static final Pattern LOWER_CASE = wholeWord("[\\p{Ll}][\\p{Ll}\\p{M}]*");

    /** {@code regex} as a whole word: no letter (accents included) right before or after it. */
    private static Pattern wholeWord(String regex) {
        String letter = "[\\p{L}\\p{M}]";
        return Pattern.compile("(?<!" + letter + ")" + regex + "(?!" + letter + ")");
    }

    /** A name as each side writes it: the same word ("David") or a translation ("Moisés", "Moses"). */
    record Name(String source, String target) {
        /** "David" when carried over, "Moisés/Moses" when translated. */
        String label() {
            return source.equals(target) ? source : source + "/" + target;
        }
    }

    /** A pair with names to swap: kept pair {@code index}, its text and its names. */
    private record Candidate(int index, String source, String target, List<Name> names) {
    }

    private final List<Candidate> candidates;
    private final List<String> names;
    /** What made-up names are spliced from: the names of either side, carried over or not. */
    private final List<String> pool;
    private final double share;
    private final Function<String, int[]> sourceEncoder;
    private final Function<String, int[]> targetEncoder;
    private final int maxLength;

    private NameSwap(List<Candidate> candidates, List<String> names, List<String> pool, double share,
            Function<String, int[]> sourceEncoder, Function<String, int[]> targetEncoder, int maxLength) {
        this.candidates = candidates;
        this.names = names;
        this.pool = pool;
        this.share = share;
        this.sourceEncoder = sourceEncoder;
        this.targetEncoder = targetEncoder;
        this.maxLength = maxLength;
    }

    /**
     * Finds the names that the kept pairs have on both sides.
     *
     * @param text      the training text
     * @param kept      its encoded pairs
     * @param share     the share of the pairs with a name in which it is swapped each epoch, in (0, 1]
     * @param maxLength a swap that makes a side longer than this many tokens is not made
     */
    public static NameSwap of(ParallelText text, Examples kept, Function<String, int[]> sourceEncoder,
            Function<String, int[]> targetEncoder, int maxLength, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of pairs whose names are swapped must be in (0, 1], got " + share);
        }
        Set<String> lowerCase = new HashSet<>();
        for (int i = 0; i < text.size(); i++) {
            addAll(LOWER_CASE, text.source().get(i), lowerCase);
            addAll(LOWER_CASE, text.target().get(i), lowerCase);
        }
        List<Candidate> candidates = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        Set<String> pool = new TreeSet<>();
        for (int k = 0; k < kept.size(); k++) {
            String source = text.source().get(kept.line(k));
            String target = text.target().get(kept.line(k));
            Set<String> inSource = new LinkedHashSet<>();
            addAll(CAPITALISED, source, inSource);
            Set<String> inTarget = new HashSet<>();
            addAll(CAPITALISED, target, inTarget);
            inSource.removeIf(w -> lowerCase.contains(w.toLowerCase(Locale.ROOT)));
            inTarget.removeIf(w -> lowerCase.contains(w.toLowerCase(Locale.ROOT)));
            pool.addAll(inSource);
            pool.addAll(inTarget);
            Set<String> carried = new LinkedHashSet<>(inSource);
            carried.retainAll(inTarget);
            List<Name> swappable = new ArrayList<>();
            carried.forEach(n -> swappable.add(new Name(n, n)));
            Set<String> sourceOnly = new LinkedHashSet<>(inSource);
            sourceOnly.removeAll(inTarget);
            Set<String> targetOnly = new HashSet<>(inTarget);
            targetOnly.removeAll(inSource);
            if (sourceOnly.size() == 1 && targetOnly.size() == 1) {
                swappable.add(new Name(sourceOnly.iterator().next(), targetOnly.iterator().next()));
            }
            if (!swappable.isEmpty()) {
                candidates.add(new Candidate(k, source, target, List.copyOf(swappable)));
                swappable.forEach(n -> names.add(n.label()));
            }
        }
        return new NameSwap(List.copyOf(candidates), List.copyOf(names), List.copyOf(pool), share, sourceEncoder,
                targetEncoder, maxLength);
    }

    private static void addAll(Pattern words, String text, Set<String> into) {
        Matcher m = words.matcher(text);
        while (m.find()) {
            into.add(m.group());
        }
    }

    /** Pairs with a name on both sides, the same or translated. */
    public int pairs() {
        return candidates.size();
    }

    /** The distinct names of {@link #pairs()}, sorted: "David" when carried over, "Moisés/Moses" when translated. */
    public List<String> names() {
        return names;
    }

    /** The distinct names of either side, carried over or not, sorted: what made-up names are spliced from. */
    public List<String> pool() {
        return pool;
    }

    @Override
    public List<Example> apply(List<Example> examples, long seed, int epoch) {
        if (pool.size() < 2) {
            return examples;
        }
        SplittableRandom random = new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL + epoch * 0x165667B19E3779F9L + 0x5EED);
        List<Example> out = new ArrayList<>(examples);
        for (Candidate c : candidates) {
            // every candidate draws the same numbers whether it is swapped or not, so one pair's swap never moves another's
            double draw = random.nextDouble();
            Name name = c.names().get(random.nextInt(c.names().size()));
            String madeUp = madeUp(random, name.source(), name.target());
            if (draw >= share) {
                continue;
            }
            int[] source = sourceEncoder.apply(replaceWord(c.source(), name.source(), madeUp));
            int[] target = targetEncoder.apply(replaceWord(c.target(), name.target(), madeUp));
            if (source.length > 0 && target.length > 0 && source.length <= maxLength && target.length <= maxLength) {
                out.set(c.index(), new Example(source, target));
            }
        }
        return out;
    }

    /** {@code text} with every whole-word {@code word} replaced by {@code replacement}. */
    private static String replaceWord(String text, String word, String replacement) {
        return wholeWord(Pattern.quote(word)).matcher(text).replaceAll(Matcher.quoteReplacement(replacement));
    }

    /**
     * A name spliced from the start of one name of the corpus and the end of another, each at least two letters, that
     * is neither of them nor one of {@code replaced} (the two names joined whole when a hundred tries found none).
     */
    String madeUp(SplittableRandom random, String... replaced) {
        List<String> excluded = List.of(replaced);
        for (int attempt = 0; attempt < 100; attempt++) {
            String a = pool.get(random.nextInt(pool.size()));
            String b = pool.get(random.nextInt(pool.size()));
            int cutA = 2 + random.nextInt(a.length() - 2);   // keeps a[0, cutA), 2 <= cutA < a.length()
            int cutB = 1 + random.nextInt(b.length() - 2);   // keeps b[cutB, end), at least 2 letters
            String name = a.substring(0, cutA) + b.substring(cutB);
            if (!name.equals(a) && !name.equals(b) && !excluded.contains(name)) {
                return name;
            }
        }
        return pool.get(0) + pool.get(1).toLowerCase(Locale.ROOT);
    }
}
