package org.transformer4j.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What one process of {@code t4j bench train} measured, as it travels from a fork to its parent (JSON).
 *
 * @param targetTokensPerSecond target tokens (padding excluded) per second over the timed steps
 * @param secondsPerStep        the mean time of a timed step
 * @param flopsPerStep          FLOP of the matrix products of a timed step (forward and backward), counted per call
 * @param heapBytesPerStep      bytes allocated on the Java heap per timed step by all threads; -1 where the JVM
 *                              does not count them
 * @param peak                  the FMA peak measured in the same process, after the steps
 */
public record TrainBenchFigures(double targetTokensPerSecond, double secondsPerStep, double flopsPerStep,
        double heapBytesPerStep, FmaPeak peak) {

    private static final double MIB = 1 << 20;

    /** GFLOP/s of the matrix products over the timed steps. */
    public double achievedGflops() {
        return flopsPerStep / secondsPerStep / 1e9;
    }

    /** The fraction of the FMA peak on the threads used that the matrix products reach. */
    public double fractionOfPeak() {
        return achievedGflops() / peak.total();
    }

    /** The lines a single process adds to its report. */
    public void print(PrintWriter out, int steps) {
        out.printf(Locale.ROOT, "matmul FLOPs per step %s; %.1f GFLOP/s achieved = %.0f%% of the measured FMA peak"
                + " (%.0f GFLOP/s on %d thread%s%s)%n", flops(flopsPerStep), achievedGflops(), 100 * fractionOfPeak(),
                peak.total(), peak.threads(), peak.threads() == 1 ? "" : "s",
                peak.threads() == 1 ? "" : String.format(Locale.ROOT, ", %.0f on one", peak.perThread()));
        if (peak.shared()) {
            out.printf(Locale.ROOT, "note: the peak on %d threads is under %d times the peak on one: other work shared"
                    + " the cores while it was measured, so the fraction above is overstated%n", peak.threads(),
                    peak.threads());
        }
        out.printf(Locale.ROOT, "Java heap allocated per step: %s (all threads, mean over the %d timed steps)%n",
                heapBytesPerStep < 0 ? "not counted by this JVM" : String.format(Locale.ROOT, "%.2f MiB", heapBytesPerStep / MIB),
                steps);
    }

    /** One process's figures in one line. */
    public static String summary(TrainBenchFigures f) {
        return String.format(Locale.ROOT, "%,.0f target tokens/s, %.0f%% of the FMA peak, %s", f.targetTokensPerSecond(),
                100 * f.fractionOfPeak(), f.heapBytesPerStep() < 0 ? "heap not counted"
                        : String.format(Locale.ROOT, "%.2f MiB heap per step", f.heapBytesPerStep() / MIB));
    }

    /** The spread of the figures of several processes. */
    public static void printSpread(List<TrainBenchFigures> all, PrintWriter out) {
        TrainBenchFigures first = all.getFirst();
        out.printf(Locale.ROOT, "matmul FLOPs per step %s (the same batches in every process)%n", flops(first.flopsPerStep()));
        SpreadTable table = new SpreadTable(out, all.size())
                .row("target tokens/s", values(all, TrainBenchFigures::targetTokensPerSecond), "%,.0f")
                .row("% of the FMA peak", values(all, f -> 100 * f.fractionOfPeak()), "%.0f%%")
                .row("FMA peak GFLOP/s, " + first.peak().threads() + " thread" + (first.peak().threads() == 1 ? "" : "s"),
                        values(all, f -> f.peak().total()), "%.0f");
        if (all.stream().allMatch(f -> f.heapBytesPerStep() >= 0)) {
            table.row("Java heap MiB allocated per step", values(all, f -> f.heapBytesPerStep() / MIB), "%.2f");
        }
        out.flush();
    }

    static double[] values(List<TrainBenchFigures> all, ToDoubleFunction<TrainBenchFigures> figure) {
        return all.stream().mapToDouble(figure).toArray();
    }

    /** "1.23 TFLOP", "45.6 GFLOP". */
    static String flops(double flops) {
        return flops >= 1e12 ? String.format(Locale.ROOT, "%.2f TFLOP", flops / 1e12)
                : String.format(Locale.ROOT, "%.1f GFLOP", flops / 1e9);
    }
}
