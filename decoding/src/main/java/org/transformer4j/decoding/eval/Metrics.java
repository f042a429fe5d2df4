package org.transformer4j.decoding.eval;

import java.util.List;

/** Input checks shared by the metrics. */
final class Metrics {

    private Metrics() {
    }

    static void checkAligned(List<String> hypotheses, List<List<String>> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("at least one reference is needed");
        }
        for (int r = 0; r < references.size(); r++) {
            if (references.get(r).size() != hypotheses.size()) {
                throw new IllegalArgumentException("reference " + (r + 1) + " has " + references.get(r).size()
                        + " lines but there are " + hypotheses.size() + " hypotheses");
            }
        }
    }
}
