package org.transformer4j.cli.bench;

import java.util.Arrays;

/**
 * The spread of one figure over several processes. The median is a process's own figure, the middle one (the
 * lower of the two middle ones for an even count), never an average of two: every number printed was
 * measured by some process.
 */
public record Spread(double min, double median, double max) {

    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Spread(sorted[0], sorted[(sorted.length - 1) / 2], sorted[sorted.length - 1]);
    }

    /** How many times the best process beats the worst: 1 when they agree. */
    public double ratio() {
        return max / min;
    }
}
