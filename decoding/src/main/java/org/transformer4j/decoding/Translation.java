package org.transformer4j.decoding;

import java.util.List;

/**
 * The translations of one source line, best first ({@code nbest} of them), or none with a warning when the line
 * could not be translated (it is then output as an empty line, so that files stay aligned).
 *
 * @param warning null when all went well
 */
public record Translation(String source, List<Hypothesis> hypotheses, String warning) {

    public Translation {
        hypotheses = List.copyOf(hypotheses);
    }

    /** The best translation's text, or "" when there is none. */
    public String best() {
        return hypotheses.isEmpty() ? "" : hypotheses.getFirst().text();
    }

    /** {@link #best()} on one line (see {@link Hypothesis#textOnOneLine()}), for line-based outputs. */
    public String bestOnOneLine() {
        return Hypothesis.onOneLine(best());
    }
}
