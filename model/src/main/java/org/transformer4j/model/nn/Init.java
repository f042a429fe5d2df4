package org.transformer4j.model.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initial parameter values, computed on the host and reproducible: each parameter draws from its own
 * generator, seeded by the model seed and its name, so adding a parameter never changes the others.
 */
public final class Init {

    private Init() {
    }

    /**
     * Xavier/Glorot uniform for a {@code [fanOut, fanIn]} matrix: U(−a, a) with
     * {@code a = sqrt(6 / (fanIn + fanOut))}, which keeps activation variance steady through the layers.
     */
    public static float[] xavierUniform(int fanOut, int fanIn, long seed, String name) {
        SplittableRandom random = generator(seed, name);
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[Math.multiplyExact(fanOut, fanIn)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextDouble(-a, a);
        }
        return w;
    }

    public static float[] constant(int n, float value) {
        float[] w = new float[n];
        Arrays.fill(w, value);
        return w;
    }

    private static SplittableRandom generator(long seed, String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return new SplittableRandom(seed ^ h * 0x9E3779B97F4A7C15L);
    }
}
