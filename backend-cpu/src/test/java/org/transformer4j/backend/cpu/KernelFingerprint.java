package org.transformer4j.backend.cpu;

import java.util.SplittableRandom;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * The exact bits of the ops whose kernels reduce or exponentiate (softmax, log-softmax, masked softmax, layer
 * norm, cross-entropy, sum, matmul) on fixed inputs, as one hash. Run as a program, it prints the hash: the
 * test compares a JIT-compiled run with an interpreted one.
 */
public final class KernelFingerprint {

    private KernelFingerprint() {
    }

    static long compute(Backend backend) {
        SplittableRandom random = new SplittableRandom(42);
        int rows = 6;
        int cols = 301; // a vector body and a scalar tail
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 3);
        }
        float[] mask = new float[cols];
        for (int i = 250; i < cols; i++) {
            mask[i] = Float.NEGATIVE_INFINITY;
        }
        float[] gamma = new float[cols];
        float[] beta = new float[cols];
        for (int i = 0; i < cols; i++) {
            gamma[i] = 1 + 0.01f * i;
            beta[i] = 0.001f * i;
        }
        int[] targets = {3, 17, 299, 0, 150, 42};
        long hash = 17;
        try (TensorScope scope = TensorScope.open()) {
            Tensor t = backend.fromHost(x, Shape.of(rows, cols));
            Tensor m = backend.fromHost(mask, Shape.of(1, cols));
            hash = mix(hash, backend.softmax(t, 0.125f, null));
            hash = mix(hash, backend.softmax(t, 1f, m));
            hash = mix(hash, backend.logSoftmax(t));
            var ln = backend.layerNorm(t, backend.fromHost(gamma, Shape.of(cols)), backend.fromHost(beta, Shape.of(cols)), 1e-5f);
            hash = mix(hash, ln.y());
            var ce = backend.crossEntropyWithGradient(t, targets, 0.1f, 0, 1f);
            hash = mix(hash, ce.loss());
            hash = mix(hash, ce.grad());
            hash = mix(hash, backend.sum(t, 1));
            hash = mix(hash, backend.matmul(t, t, false, true));
            hash = 31 * hash + Double.doubleToLongBits(backend.sumOfSquares(t));
        }
        return hash;
    }

    private static long mix(long hash, Tensor t) {
        for (float v : t.toFloatArray()) {
            hash = hash * 1_000_003L + Float.floatToRawIntBits(v);
        }
        return hash;
    }

    public static void main(String[] args) {
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            System.out.println(compute(backend));
        }
    }
}
