package org.transformer4j.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints figures measured in several processes as a table: one row per figure with its minimum, median and
 * maximum over the processes, and max/min, which tells at a glance whether the processes differ.
 */
public final class SpreadTable {

    private static final String ROW = "%-34s %12s %12s %12s %9s%n";

    private final PrintWriter out;

    /** Prints the header, naming the number of processes. */
    public SpreadTable(PrintWriter out, int processes) {
        this.out = out;
        out.printf(Locale.ROOT, ROW, "over " + processes + (processes == 1 ? " process" : " processes"), "min", "median", "max", "max/min");
    }

    /**
     * @param format how to print one value, e.g. {@code "%,.0f"}
     */
    public SpreadTable row(String figure, double[] values, String format) {
        Spread s = Spread.of(values);
        String ratio = s.min() > 0 ? String.format(Locale.ROOT, "%.2fx", s.ratio()) : "";
        out.printf(Locale.ROOT, ROW, figure, String.format(Locale.ROOT, format, s.min()),
                String.format(Locale.ROOT, format, s.median()), String.format(Locale.ROOT, format, s.max()), ratio);
        return this;
    }
}
