package org.transformer4j.it.samediff;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects comparisons of our float32 results with SameDiff's float64 ones, so that one failure report names
 * every tensor that disagrees. A tensor agrees when {@code max|ours − reference| ≤ tolerance · max|reference|}:
 * an error relative to the tensor's scale, since a gradient element that is nearly zero by cancellation has
 * no meaningful relative error of its own.
 */
final class Compare {

    private final List<String> failures = new ArrayList<>();
    private final Map<String, Double> errors = new LinkedHashMap<>();

    /** Records whether {@code ours} agrees with {@code reference}, relative to the reference's largest element. */
    void check(String what, float[] ours, double[] reference, double tolerance) {
        check(what, ours, reference, maxAbs(reference), tolerance);
    }

    /**
     * The same, relative to a given {@code scale}: for a tensor that is zero in exact arithmetic, whose own
     * largest element is rounding noise.
     */
    void check(String what, float[] ours, double[] reference, double scale, double tolerance) {
        double error = maxDifference(ours, reference) / Math.max(scale, 1e-30);
        errors.put(what, error);
        if (!(error <= tolerance)) {
            failures.add(String.format("%s: max error %.3g of the scale, allowed %.1g", what, error, tolerance));
        }
    }

    /** The scaled error recorded for {@code what}. */
    double error(String what) {
        return errors.get(what);
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxDifference(float[] ours, double[] reference) {
        if (ours.length != reference.length) {
            return Double.POSITIVE_INFINITY;
        }
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            if (Float.isNaN(ours[i])) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - reference[i]));
        }
        return maxDiff;
    }

    void assertAllAgree(String context) {
        if (!failures.isEmpty()) {
            fail(context + ": " + failures.size() + " disagree\n" + String.join("\n", failures) + "\nall: " + report());
        }
    }

    /** Every scaled error, for the test log. */
    String report() {
        StringBuilder b = new StringBuilder();
        errors.forEach((what, e) -> b.append(b.isEmpty() ? "" : ", ").append(String.format("%s %.1e", what, e)));
        return b.toString();
    }
}
