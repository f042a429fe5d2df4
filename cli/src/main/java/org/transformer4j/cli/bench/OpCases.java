package org.transformer4j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.cli.bench.OpCase.Unit;

/**
 * The ops a Transformer spends its time in, at the shapes of the base model with 4096 tokens per batch
 * (d_model 512, d_ff 2048, 8 heads of 64, sequences of 64): the projections and the feed-forward layer,
 * attention's batched products and softmax, layer norm and the output loss.
 */
public final class OpCases {

    private OpCases() {
    }

    /** The full set; {@code scale} divides the large dimensions (1 for the real shapes, more for quick runs). */
    public static List<OpCase> transformerShapes(int scale) {
        int rows = 4096 / scale;
        int d = 512 / scale;
        int ff = 2048 / scale;
        int t = Math.max(1, 64 / scale);
        int vocab = 8000 / scale;
        List<OpCase> cases = new ArrayList<>();
        cases.add(matmul(rows, d, d, false));
        cases.add(matmul(rows, d, ff, false));
        cases.add(matmul(rows, ff, d, false));
        cases.add(matmul(rows, d, ff, true));
        cases.add(batched(8, t, t, t));
        cases.add(batched(rows / t * 8, t, t, t));
        cases.add(softmax(rows, rows));
        cases.add(maskedSoftmax(rows / t, 8, t));
        cases.add(layerNorm(rows, d));
        cases.add(crossEntropy(rows, vocab));
        return cases;
    }

    static OpCase matmul(int m, int k, int n, boolean transB) {
        String shape = transB ? m + "x" + k + " · (" + n + "x" + k + ")ᵀ" : m + "x" + k + " · " + k + "x" + n;
        return new OpCase("matmul", shape, 2.0 * m * n * k, Unit.GFLOPS,
                b -> List.of(random(b, Shape.of(m, k), 1), random(b, transB ? Shape.of(n, k) : Shape.of(k, n), 2)),
                (b, in) -> List.of(b.matmul(in.get(0), in.get(1), false, transB)));
    }

    static OpCase batched(int batch, int m, int k, int n) {
        return new OpCase("batched matmul", batch + " × " + m + "x" + k + " · " + k + "x" + n, 2.0 * batch * m * n * k,
                Unit.GFLOPS,
                b -> List.of(random(b, Shape.of(batch, m, k), 1), random(b, Shape.of(batch, k, n), 2)),
                (b, in) -> List.of(b.matmul(in.get(0), in.get(1), false, false)));
    }

    static OpCase softmax(int rows, int cols) {
        return new OpCase("softmax", rows + "x" + cols, 2.0 * rows * cols * Float.BYTES, Unit.GBPS,
                b -> List.of(random(b, Shape.of(rows, cols), 1)),
                (b, in) -> List.of(b.softmax(in.get(0), 1f, null)));
    }

    static OpCase maskedSoftmax(int batch, int heads, int t) {
        double bytes = 2.0 * batch * heads * t * t * Float.BYTES;
        return new OpCase("softmax, scaled + mask", batch + "x" + heads + "x" + t + "x" + t + " + mask " + batch + "x1x1x" + t,
                bytes, Unit.GBPS,
                b -> List.of(random(b, Shape.of(batch, heads, t, t), 1), b.zeros(Shape.of(batch, 1, 1, t))),
                (b, in) -> List.of(b.softmax(in.get(0), 0.125f, in.get(1))));
    }

    static OpCase layerNorm(int rows, int d) {
        return new OpCase("layerNorm", rows + "x" + d, 2.0 * rows * d * Float.BYTES, Unit.GBPS,
                b -> List.of(random(b, Shape.of(rows, d), 1), random(b, Shape.of(d), 2), random(b, Shape.of(d), 3)),
                (b, in) -> {
                    LayerNormOutput o = b.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5f);
                    return List.of(o.y(), o.mean(), o.rstd());
                });
    }

    static OpCase crossEntropy(int rows, int vocab) {
        int[] targets = new SplittableRandom(4).ints(rows, 0, vocab).toArray();
        return new OpCase("crossEntropy + grad", rows + "x" + vocab, 2.0 * rows * vocab * Float.BYTES, Unit.GBPS,
                b -> List.of(random(b, Shape.of(rows, vocab), 1)),
                (b, in) -> {
                    CrossEntropyOutput o = b.crossEntropyWithGradient(in.get(0), targets, 0.1f, -1, 1f / rows);
                    return List.of(o.loss(), o.nll(), o.grad());
                });
    }

    private static Tensor random(Backend b, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[shape.intSize()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble(-1, 1);
        }
        return b.fromHost(data, shape);
    }
}
