package org.transformer4j.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What one process of {@code t4j bench decode} measured, as it travels from a fork to its parent (JSON).
 *
 * @param rows      one per way of decoding, in the order run
 * @param compared   whether the rows without the key/value cache ran, so that the next two mean something
 *                   ({@code --cache-only} leaves them out)
 * @param sameGreedy whether greedy decoding gave the same translations with and without the key/value cache
 * @param sameBeam   the same for beam search
 */
public record DecodeBenchFigures(List<Row> rows, boolean compared, boolean sameGreedy, boolean sameBeam) {

    private static final double MIB = 1 << 20;

    /**
     * @param name                  "greedy, cache", "beam 4, no cache"...
     * @param heapBytesPerSentence  bytes allocated on the Java heap per sentence by all threads (per sentence,
     *                              not per decoding step: the decoder does not count its steps); -1 where the JVM
     *                              does not count them
     */
    public record Row(String name, double sentencesPerSecond, double sourceTokensPerSecond,
            double outputTokensPerSecond, double heapBytesPerSentence) {
    }

    /** One process's figures in one line: sentences/s per way of decoding. */
    public static String summary(DecodeBenchFigures f) {
        return f.rows().stream().map(r -> String.format(Locale.ROOT, "%s %.2f", r.name(), r.sentencesPerSecond()))
                .collect(Collectors.joining("; ")) + " sentences/s";
    }

    /** The spread of the figures of several processes, three lines per way of decoding. */
    public static void printSpread(List<DecodeBenchFigures> all, PrintWriter out) {
        SpreadTable table = new SpreadTable(out, all.size());
        boolean heapCounted = all.stream().flatMap(f -> f.rows().stream()).allMatch(r -> r.heapBytesPerSentence() >= 0);
        for (int r = 0; r < all.getFirst().rows().size(); r++) {
            String name = all.getFirst().rows().get(r).name();
            table.row(name + ": sentences/s", values(all, r, Row::sentencesPerSecond), "%.2f");
            table.row(name + ": out tokens/s", values(all, r, Row::outputTokensPerSecond), "%.1f");
            if (heapCounted) {
                table.row(name + ": heap MiB/sentence", values(all, r, row -> row.heapBytesPerSentence() / MIB), "%.2f");
            }
        }
        out.println("heap MiB/sentence: Java heap allocated by all threads, per sentence (the decoder does not count"
                + " its steps).");
        if (all.stream().allMatch(DecodeBenchFigures::compared)) {
            out.printf("Same translations with and without the cache in every process: greedy %s, beam %s.%n",
                    all.stream().allMatch(DecodeBenchFigures::sameGreedy) ? "yes" : "NO",
                    all.stream().allMatch(DecodeBenchFigures::sameBeam) ? "yes" : "NO");
        }
        out.flush();
    }

    private static double[] values(List<DecodeBenchFigures> all, int row, ToDoubleFunction<Row> figure) {
        return all.stream().mapToDouble(f -> figure.applyAsDouble(f.rows().get(row))).toArray();
    }
}
