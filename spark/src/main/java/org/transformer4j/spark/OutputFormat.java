package org.transformer4j.spark;

/**
 * How a job's results are written (the DataFrame writer's format). Every row is keyed by its input line number.
 * <ul>
 *   <li>{@code TEXT}: tab-separated lines, {@code line, translation} ({@code line, rank, score, translation} with
 *       n-best), or {@code line, tokens, logprob, score, per_token} for scores; part files in input order, so
 *       {@code cat part-*} restores the input order of a text input.</li>
 *   <li>{@code PARQUET}, {@code JSON}: the same as columns, plus a {@code warning} column (null when the line went
 *       well).</li>
 * </ul>
 */
public enum OutputFormat {
    TEXT("text"), PARQUET("parquet"), JSON("json");

    private final String sparkName;

    OutputFormat(String sparkName) {
        this.sparkName = sparkName;
    }

    /** The name the DataFrame writer knows this format by. */
    public String sparkName() {
        return sparkName;
    }
}
