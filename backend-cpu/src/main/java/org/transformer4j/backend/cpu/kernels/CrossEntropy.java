package org.transformer4j.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Fused log-softmax + label-smoothed cross-entropy (+ gradient) per row of logits {@code [N, V]}; see
 * {@link org.transformer4j.api.Backend#crossEntropy}. With {@code logZ = max + log Σ exp(x − max)}:
 * {@code loss = −(1−ε)·logp[t] − (ε/V)·Σ_v logp[v]}, where {@code Σ_v logp[v] = Σ_v x[v] − V·logZ}, and
 * {@code grad[v] = scale · (exp(x[v] − logZ) − ε/V − (1−ε)·[v = t])}. The gradient may be written over the
 * logits.
 */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    public static void compute(Parallel par, boolean simd, MemorySegment logits, int[] targets, float smoothing,
            int ignoreIndex, float gradScale, MemorySegment loss, MemorySegment nll, MemorySegment grad, int rows, int v) {
        float uniform = smoothing / v;
        par.forRange(rows, Math.max(1, Parallel.MIN_CHUNK_WORK / v), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                long off = (long) r * v;
                int t = targets[r];
                if (t == ignoreIndex) {
                    Mem.set(loss, r, 0f);
                    Mem.set(nll, r, 0f);
                    if (grad != null) {
                        Mem.fill(grad, off, v, 0f);
                    }
                    continue;
                }
                // Everything read from the logits is read before grad is written: grad may be the logits themselves.
                float max = Simd.max(simd, logits, off, v);
                double sumX = Simd.sum(simd, logits, off, v);
                float xT = Mem.get(logits, off + t);
                // grad (or a scratch row) holds exp(x − max) for now; it becomes the gradient below.
                MemorySegment e = grad != null ? grad : Scratch.floats(v);
                long eOff = grad != null ? off : 0;
                double sumExp = Simd.expShifted(simd, logits, off, max, e, eOff, v);
                double logZ = max + Math.log(sumExp);
                double logpT = xT - logZ;
                double sumLogp = sumX - v * logZ;
                Mem.set(nll, r, (float) -logpT);
                Mem.set(loss, r, (float) (-(1 - smoothing) * logpT - uniform * sumLogp));
                if (grad != null) {
                    // grad = scale·(e/Σe − ε/V), then − scale·(1−ε) at the target.
                    Simd.affine(simd, grad, off, (float) (gradScale / sumExp), -gradScale * uniform, grad, off, v);
                    Mem.set(grad, off + t, Mem.get(grad, off + t) - gradScale * (1 - smoothing));
                }
            }
        });
    }
}
