package org.transformer4j.backend.cpu.kernels;

/**
 * Fused log-softmax + label-smoothed cross-entropy (+ gradient) per row of logits {@code [N, V]}; see
 * {@link org.transformer4j.api.Backend#crossEntropy}. With {@code logZ = max + log Σ exp(x − max)}:
 * {@code loss = −(1−ε)·logp[t] − (ε/V)·Σ_v logp[v]}, where {@code Σ_v logp[v] = Σ_v x[v] − V·logZ}, and
 * {@code grad[v] = scale · (exp(x[v] − logZ) − ε/V − (1−ε)·[v = t])}.
 */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    public static void compute(Parallel par, boolean simd, float[] logits, int[] targets, float smoothing,
            int ignoreIndex, float gradScale, float[] loss, float[] nll, float[] grad, int rows, int v) {
        float uniform = smoothing / v;
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / v), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * v;
                int t = targets[r];
                if (t == ignoreIndex) {
                    loss[r] = 0;
                    nll[r] = 0;
                    if (grad != null) {
                        java.util.Arrays.fill(grad, off, off + v, 0f);
                    }
                    continue;
                }
                float max = Simd.max(simd, logits, off, v);
                // grad (or a scratch row) holds exp(x − max) for now; it becomes the gradient below.
                float[] e = grad != null ? grad : Scratch.floats(v);
                int eOff = grad != null ? off : 0;
                double sumExp = Simd.expShifted(simd, logits, off, max, e, eOff, v);
                double logZ = max + Math.log(sumExp);
                double logpT = logits[off + t] - logZ;
                double sumLogp = Simd.sum(simd, logits, off, v) - v * logZ;
                nll[r] = (float) -logpT;
                loss[r] = (float) (-(1 - smoothing) * logpT - uniform * sumLogp);
                if (grad != null) {
                    float invSum = (float) (1.0 / sumExp);
                    for (int j = 0; j < v; j++) {
                        grad[off + j] = gradScale * (grad[off + j] * invSum - uniform);
                    }
                    grad[off + t] -= gradScale * (1 - smoothing);
                }
            }
        });
    }
}
