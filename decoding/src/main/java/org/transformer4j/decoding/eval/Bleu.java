package org.transformer4j.decoding.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Corpus BLEU exactly as sacreBLEU 2 computes it with its defaults ({@code BLEU|nrefs:N|case:mixed|eff:no|
 * tok:13a|smooth:exp}): each line {@link Tokenizer13a 13a-tokenised}, n-grams of orders 1-4 counted per line and
 * clipped by their largest count in any reference, summed over the corpus; precisions {@code p_n =
 * matches_n / total_n}, except that a zero match count is replaced, for the k-th such order, by
 * {@code 1 / (2^k · total_n)} (the "exp" smoothing of mteval); the reference length of a line is that of the
 * reference closest in length to the hypothesis (the shorter on ties); brevity penalty
 * {@code BP = exp(1 - r/c)} when {@code c < r}; {@code BLEU = 100 · BP · exp(mean_n log p_n)}.
 */
public final class Bleu {

    static final int MAX_ORDER = 4;

    private Bleu() {
    }

    /**
     * @param hypotheses one per line
     * @param references one or more reference streams, each with a line per hypothesis
     */
    public static BleuScore corpus(List<String> hypotheses, List<List<String>> references) {
        Metrics.checkAligned(hypotheses, references);
        long[] matches = new long[MAX_ORDER];
        long[] totals = new long[MAX_ORDER];
        long hypLength = 0;
        long refLength = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = PythonText.split(Tokenizer13a.tokenize(hypotheses.get(i)));
            Map<List<String>, Integer> hypCounts = ngrams(hyp);
            Map<List<String>, Integer> maxRefCounts = new HashMap<>();
            int closest = -1;
            for (List<String> stream : references) {
                List<String> ref = PythonText.split(Tokenizer13a.tokenize(stream.get(i)));
                int diff = Math.abs(hyp.size() - ref.size());
                int best = Math.abs(hyp.size() - closest);
                if (closest < 0 || diff < best || diff == best && ref.size() < closest) {
                    closest = ref.size();
                }
                ngrams(ref).forEach((g, c) -> maxRefCounts.merge(g, c, Math::max));
            }
            hypLength += hyp.size();
            refLength += closest;
            for (Map.Entry<List<String>, Integer> e : hypCounts.entrySet()) {
                int order = e.getKey().size();
                totals[order - 1] += e.getValue();
                matches[order - 1] += Math.min(e.getValue(), maxRefCounts.getOrDefault(e.getKey(), 0));
            }
        }
        return score(matches, totals, hypLength, refLength, references.size());
    }

    /** sacreBLEU's {@code compute_bleu} with {@code smooth_method="exp"}, {@code use_effective_order=False}. */
    static BleuScore score(long[] matches, long[] totals, long hypLength, long refLength, int referenceCount) {
        double[] precisions = new double[MAX_ORDER];
        double smooth = 1;
        for (int n = 0; n < MAX_ORDER; n++) {
            if (totals[n] == 0) {
                break; // this order and the higher ones stay 0: BLEU is 0
            }
            if (matches[n] == 0) {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * totals[n]);
            } else {
                precisions[n] = 100.0 * matches[n] / totals[n];
            }
        }
        double bp = hypLength == 0 ? 0 : hypLength < refLength ? Math.exp(1 - (double) refLength / hypLength) : 1;
        double logSum = 0;
        for (double p : precisions) {
            logSum += p > 0 ? Math.log(p) : -9999999999.0;
        }
        double bleu = hypLength == 0 ? 0 : bp * Math.exp(logSum / MAX_ORDER);
        return new BleuScore(bleu, precisions, bp, hypLength, refLength, referenceCount);
    }

    /** Counts of every n-gram of orders 1..4. */
    private static Map<List<String>, Integer> ngrams(List<String> words) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int i = 0; i + n <= words.size(); i++) {
                counts.merge(words.subList(i, i + n), 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * A corpus BLEU score and its parts, printed as sacreBLEU prints them.
     *
     * @param score      0-100
     * @param precisions the n-gram precisions in percent, smoothed
     */
    public record BleuScore(double score, double[] precisions, double brevityPenalty, long hypothesisLength,
            long referenceLength, int references) {

        public double ratio() {
            return referenceLength == 0 ? 0 : (double) hypothesisLength / referenceLength;
        }

        /** sacreBLEU's signature of these settings. */
        public String signature() {
            return "nrefs:" + references + "|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
                    score, precisions[0], precisions[1], precisions[2], precisions[3], brevityPenalty, ratio(),
                    hypothesisLength, referenceLength);
        }
    }
}
