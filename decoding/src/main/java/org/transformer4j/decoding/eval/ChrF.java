package org.transformer4j.decoding.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Corpus chrF exactly as sacreBLEU 2 computes it with its defaults ({@code chrF2|nrefs:N|case:mixed|eff:yes|
 * nc:6|nw:0|space:no}): white space removed from each line, character n-grams of orders 1-6 (code points)
 * counted; per line and order the statistics (hypothesis n-grams, reference n-grams, matches, clipped by the
 * reference counts), taken from the reference with the best line-level chrF (the first on ties); summed over the
 * corpus; then precision and recall per order, averaged over the orders where both sides have n-grams, and
 * {@code chrF = 100 · (1 + β²) · P · R / (β² · P + R)} with β = 2 (recall weighs more).
 */
public final class ChrF {

    static final int ORDER = 6;
    static final double BETA = 2;

    private ChrF() {
    }

    public static ChrFScore corpus(List<String> hypotheses, List<List<String>> references) {
        Metrics.checkAligned(hypotheses, references);
        long[] totals = new long[3 * ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<Map<String, Integer>> hyp = ngrams(hypotheses.get(i));
            long[] best = null;
            double bestF = -1;
            for (List<String> stream : references) {
                List<Map<String, Integer>> ref = ngrams(stream.get(i));
                long[] stats = new long[3 * ORDER];
                for (int n = 0; n < ORDER; n++) {
                    matchStatistics(hyp.get(n), ref.get(n), stats, 3 * n);
                }
                double f = fScore(stats);
                if (f > bestF) {
                    bestF = f;
                    best = stats;
                }
            }
            for (int j = 0; j < totals.length; j++) {
                totals[j] += best[j];
            }
        }
        return new ChrFScore(fScore(totals), references.size());
    }

    private static void matchStatistics(Map<String, Integer> hyp, Map<String, Integer> ref, long[] stats, int at) {
        long hypCount = 0;
        long match = 0;
        for (Map.Entry<String, Integer> e : hyp.entrySet()) {
            hypCount += e.getValue();
            match += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
        }
        long refCount = ref.values().stream().mapToLong(Integer::longValue).sum();
        stats[at] = hypCount;
        stats[at + 1] = refCount;
        stats[at + 2] = match;
    }

    /** sacreBLEU's {@code CHRF._compute_f_score} without eps smoothing (its default). */
    static double fScore(long[] stats) {
        double factor = BETA * BETA;
        double precision = 0;
        double recall = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < ORDER; n++) {
            long hyp = stats[3 * n];
            long ref = stats[3 * n + 1];
            long match = stats[3 * n + 2];
            if (hyp > 0 && ref > 0) {
                precision += (double) match / hyp;
                recall += (double) match / ref;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0;
        }
        precision /= effectiveOrder;
        recall /= effectiveOrder;
        if (precision + recall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }

    /** Character n-grams of orders 1..6 of the line without white space, by code point. */
    private static List<Map<String, Integer>> ngrams(String line) {
        int[] cps = PythonText.codePointsWithoutSpaces(line);
        List<Map<String, Integer>> out = new java.util.ArrayList<>(ORDER);
        for (int n = 1; n <= ORDER; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) {
                counts.merge(new String(cps, i, n), 1, Integer::sum);
            }
            out.add(counts);
        }
        return out;
    }

    /** A corpus chrF score, 0-100. */
    public record ChrFScore(double score, int references) {

        public String signature() {
            return "nrefs:" + references + "|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "chrF2 = %.2f", score);
        }
    }
}
