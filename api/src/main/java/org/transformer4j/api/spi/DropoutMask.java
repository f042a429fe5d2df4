package org.transformer4j.api.spi;

/**
 * The dropout mask every backend must reproduce bit for bit, so that training is identical across backends
 * and the mask need not be stored for the backward pass: element {@code i} of a tensor is kept when the
 * SplitMix64 hash of {@code (seed, i)} maps to a uniform number at or above {@code p}.
 *
 * <pre>
 * z = seed + (i + 1) * 0x9E3779B97F4A7C15          (64-bit wrap-around arithmetic)
 * z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 * z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 * z =  z ^ (z >>> 31)
 * u = (z >>> 40) / 2^24                             (24 random bits, exact in float32)
 * keep = u >= p
 * </pre>
 */
public final class DropoutMask {

    private DropoutMask() {
    }

    /** The uniform number in {@code [0, 1)} for element {@code index} under {@code seed}. */
    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }

    /** Whether element {@code index} survives dropout with probability {@code p} of dropping. */
    public static boolean keep(long seed, long index, float p) {
        return uniform(seed, index) >= p;
    }
}
