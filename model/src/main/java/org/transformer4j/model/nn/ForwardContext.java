package org.transformer4j.model.nn;

/**
 * Whether a forward pass trains (dropout on) or evaluates (dropout off), and where its dropout seeds come
 * from. Every dropout site takes the next seed of a deterministic sequence and keeps it for the backward
 * pass, so the same context seed gives the same masks on every backend.
 */
public final class ForwardContext {

    private final boolean training;
    private final long seed;
    private long counter;

    private ForwardContext(boolean training, long seed) {
        this.training = training;
        this.seed = seed;
    }

    /** Evaluation: no dropout. */
    public static ForwardContext inference() {
        return new ForwardContext(false, 0);
    }

    /** Training, with dropout masks derived from {@code seed}. */
    public static ForwardContext training(long seed) {
        return new ForwardContext(true, seed);
    }

    public boolean training() {
        return training;
    }

    /** The dropout probability to apply: {@code p} when training, 0 otherwise. */
    public float dropout(float p) {
        return training ? p : 0f;
    }

    /** The seed of the next dropout site (SplitMix64 of the context seed and a counter). */
    public long nextSeed() {
        long z = seed + (++counter) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
