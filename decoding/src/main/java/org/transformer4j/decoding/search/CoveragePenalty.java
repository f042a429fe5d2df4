package org.transformer4j.decoding.search;

/**
 * GNMT's coverage penalty (Wu et al. 2016, eq. 14) as OpenNMT-py defines it ({@code -coverage_penalty wu -beta β}):
 * a finished hypothesis whose steps attended to source token {@code i} with weights {@code a_ij} (step {@code j},
 * one per output token, {@code <eos>} included) gets
 * <pre>
 *     cp = β · Σ_i log(min(Σ_j a_ij, 1))
 * </pre>
 * added to its score, so {@code cp ≤ 0} and it is 0 once every source token got a total weight of 1: it penalises
 * translations that leave part of the source unread (the dropped halves of sentences that loops come with). 0 is off.
 *
 * <p>Which attention: the encoder-decoder attention of the last decoder layer, averaged over its heads (OpenNMT-py
 * takes one head; a Transformer's heads split the work, so one head alone covers only part of the source, while their
 * average is still a distribution over the source, as the coverage of GNMT's single attention was). A source token
 * whose total stays 0 would give −∞; softmax weights are never exactly 0 in practice, only padding is, and padding is
 * not summed.
 */
public record CoveragePenalty(double beta) implements java.io.Serializable {

    public static final CoveragePenalty NONE = new CoveragePenalty(0);

    public CoveragePenalty {
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("--coverage-penalty must be 0 (off) or a positive number, not " + beta);
        }
    }

    public boolean active() {
        return beta != 0;
    }

    /** cp of a hypothesis whose attention summed over its steps is {@code coverage} (one value per source token). */
    public double of(double[] coverage) {
        if (!active()) {
            return 0;
        }
        double sum = 0;
        for (double c : coverage) {
            sum += Math.log(Math.min(c, 1.0));
        }
        return beta * sum;
    }

    /** {@code coverage + attention}, a new array ({@code coverage} null: zeros). */
    static double[] plus(double[] coverage, float[] attention) {
        double[] out = new double[attention.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (coverage == null ? 0 : coverage[i]) + attention[i];
        }
        return out;
    }
}
