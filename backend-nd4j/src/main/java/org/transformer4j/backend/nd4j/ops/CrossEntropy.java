package org.transformer4j.backend.nd4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy with label smoothing over rows of logits {@code [N, V]}. With {@code lse} the row's
 * log-sum-exp, {@code log p_v = x_v − lse}, so per row only three numbers are needed:
 * {@code nll = lse − x_t} and {@code loss = (1 − ε) · nll + ε · (lse − Σ_v x_v / V)}. libnd4j computes the
 * row sums, the target logits (a gather) and the softmax, whose value at the row's maximum gives
 * {@code lse}; the per-row arithmetic is done on the host in double. The gradient
 * {@code gradScale · (p − q)} is the softmax minus {@code ε/V}, minus {@code 1 − ε} at the target (a
 * scatter), times {@code gradScale} per row (0 on ignored rows).
 */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    /**
     * @param logits  the logits as a flat array of {@code n · v} elements
     * @param probs   where the softmax goes: the gradient's storage (possibly {@code logits} itself, then
     *                overwritten), or null when no gradient is wanted
     */
    public static void compute(INDArray logits, int[] targets, float smoothing, int ignoreIndex, float gradScale,
            INDArray loss, INDArray nll, INDArray probs, int n, int v, Scratch scratch) {
        INDArray xRows = logits.reshape('c', n, v);
        boolean anyKept = false;
        long[] picks = new long[n];
        for (int i = 0; i < n; i++) {
            boolean keep = targets[i] != ignoreIndex;
            anyKept |= keep;
            picks[i] = (long) i * v + (keep ? targets[i] : 0);
        }
        INDArray index = scratch.indices(picks);
        INDArray rowSum = scratch.floats(n);
        INDArray picked = scratch.floats(n);
        Nd.sum(xRows, rowSum, 1);
        Nd.exec(Nd.op("gather").addInputs(logits.reshape(logits.length()), index).addOutputs(picked)
                .addIntegerArguments(0).build());

        INDArray p = probs != null ? probs.reshape('c', n, v) : scratch.floats(n, v);
        INDArray lse = Softmax.logSumExp(xRows, p, n, scratch);

        float[] lseH = new float[n];
        float[] sumH = new float[n];
        float[] pickedH = new float[n];
        Nd.get(lse, 0, lseH, 0, n);
        Nd.get(rowSum, 0, sumH, 0, n);
        Nd.get(picked, 0, pickedH, 0, n);
        float[] lossH = new float[n];
        float[] nllH = new float[n];
        for (int i = 0; i < n; i++) {
            if (targets[i] == ignoreIndex) {
                continue;
            }
            double rowNll = (double) lseH[i] - pickedH[i];
            nllH[i] = (float) rowNll;
            lossH[i] = (float) ((1.0 - smoothing) * rowNll + smoothing * (lseH[i] - sumH[i] / (double) v));
        }
        Nd.put(lossH, 0, n, loss, 0);
        Nd.put(nllH, 0, n, nll, 0);

        if (probs == null) {
            return;
        }
        Nd.addScalar(p, -(double) smoothing / v, p);
        float[] targetShift = new float[n];
        float[] rowScale = new float[n];
        for (int i = 0; i < n; i++) {
            boolean keep = targets[i] != ignoreIndex;
            targetShift[i] = keep ? 1f - smoothing : 0f;
            rowScale[i] = keep ? gradScale : 0f;
        }
        if (anyKept) {
            INDArray flat = p.reshape(p.length());
            Nd.exec(Nd.op("scatter_sub").addInputs(flat, index, scratch.floats(targetShift)).addOutputs(flat)
                    .addBooleanArguments(true, false).build());
        }
        Nd.mulColumn(p, scratch.floats(rowScale), p);
    }
}
