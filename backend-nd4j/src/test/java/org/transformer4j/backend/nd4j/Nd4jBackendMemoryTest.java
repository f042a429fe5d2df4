package org.transformer4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.LayerNormGradients;
import org.transformer4j.api.LayerNormOutput;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * What {@code memory()} reports is what ND4J holds for the backend: libnd4j counts every byte of native data
 * it allocates, and after every op that count moves exactly as the backend's own count does. So no op leaves
 * a temporary to ND4J's garbage-collector-driven deallocator, and closing the tensors returns both counts to
 * their baseline. (libnd4j caches a shape descriptor per new shape the first time it sees it; one warm-up
 * pass with the same shapes fills those caches first.)
 */
class Nd4jBackendMemoryTest {

    private final SplittableRandom random = new SplittableRandom(7);

    private static long nativeBytes() {
        return Nd4j.getEnvironment().getDeviceCouner(0);
    }

    @Test
    void libnd4jHoldsExactlyWhatTheBackendReportsAfterEveryOp() {
        try (Backend b = new Nd4jBackendProvider().create(BackendOptions.threads(2))) {
            Map<String, Consumer<Backend>> ops = everyOp();
            for (int pass = 0; pass < 4; pass++) {
                long nativeBaseline = nativeBytes();
                long baseline = b.memory().inUse();
                List<String> mismatches = new ArrayList<>();
                try (TensorScope scope = TensorScope.open()) {
                    for (Map.Entry<String, Consumer<Backend>> op : ops.entrySet()) {
                        op.getValue().accept(b);
                        long held = b.memory().inUse() - baseline;
                        long nd4j = nativeBytes() - nativeBaseline;
                        if (held != nd4j) {
                            mismatches.add(op.getKey() + ": backend " + held + " B, libnd4j " + nd4j + " B");
                        }
                    }
                    assertTrue(b.memory().inUse() > baseline, "the ops allocated");
                }
                assertEquals(baseline, b.memory().inUse(), "pass " + pass);
                if (pass > 0) { // pass 0 fills libnd4j's shape caches
                    assertEquals(List.of(), mismatches, "pass " + pass);
                    assertEquals(nativeBaseline, nativeBytes(), "libnd4j's native bytes after pass " + pass);
                }
            }
        }
    }

    private Tensor random(Backend b, int... dims) {
        Shape s = Shape.of(dims);
        float[] x = new float[s.intSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return b.fromHost(x, s);
    }

    /** Every op of the Backend interface, on small inputs, in the order a training step would use them. */
    private Map<String, Consumer<Backend>> everyOp() {
        Map<String, Consumer<Backend>> ops = new LinkedHashMap<>();
        Tensor[] t = new Tensor[12];
        ops.put("fromHost", b -> {
            t[0] = random(b, 2, 3, 8);
            t[1] = random(b, 8, 8);
        });
        ops.put("zeros", b -> t[2] = b.zeros(Shape.of(8)));
        ops.put("reshape", b -> t[3] = b.reshape(t[0], Shape.of(6, 8)));
        ops.put("matmul", b -> t[4] = b.matmul(t[3], t[1], false, true));
        ops.put("batched matmul", b -> b.matmul(t[0], t[0], false, true));
        ops.put("add", b -> b.add(t[4], t[2]));
        ops.put("addInPlace", b -> b.addInPlace(t[4], t[2], 0.5f));
        ops.put("addInPlace same shape", b -> b.addInPlace(t[4], t[3], 2f));
        ops.put("mul", b -> {
            b.mul(t[0], t[2]);
            b.mul(t[0], t[0]);
        });
        ops.put("scale", b -> b.scale(t[0], 3f));
        ops.put("relu", b -> t[5] = b.relu(t[4]));
        ops.put("reluBackward", b -> b.reluBackward(t[4], t[5]));
        ops.put("dropout", b -> b.dropout(t[4], 0.1f, 9));
        ops.put("permute", b -> t[6] = b.permute(t[0], 0, 2, 1));
        ops.put("copy", b -> b.copy(t[6]));
        ops.put("concat", b -> b.concat(t[0], t[0], 1));
        ops.put("softmax", b -> t[7] = b.softmax(t[4], 1f, null));
        ops.put("softmax masked", b -> {
            float[] mask = new float[3];
            mask[2] = Float.NEGATIVE_INFINITY;
            Tensor m = b.fromHost(mask, Shape.of(1, 1, 3));
            b.softmax(b.matmul(t[0], t[0], false, true), 0.5f, m);
        });
        ops.put("softmax fully masked", b -> {
            float[] mask = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
            b.softmax(b.matmul(t[0], t[0], false, true), 1f, b.fromHost(mask, Shape.of(1, 1, 3)));
        });
        ops.put("softmaxBackward", b -> b.softmaxBackward(t[7], t[4], 0.5f));
        ops.put("logSoftmax", b -> b.logSoftmax(t[4]));
        ops.put("layerNorm", b -> {
            LayerNormOutput ln = b.layerNorm(t[3], t[2], t[2], 1e-5f);
            LayerNormGradients g = b.layerNormBackward(ln.y(), t[3], t[2], ln.mean(), ln.rstd());
            g.dx();
        });
        ops.put("gather", b -> t[8] = b.gather(t[1], new int[] {1, 2, 1}));
        ops.put("scatterAdd", b -> b.scatterAddInPlace(b.zeros(Shape.of(8, 8)), new int[] {1, 2, 1}, t[8]));
        ops.put("crossEntropy", b -> b.crossEntropy(t[4], new int[] {1, 2, 3, 4, 5, 0}, 0.1f, 0));
        ops.put("crossEntropyWithGradient", b -> b.crossEntropyWithGradient(t[4], new int[] {1, 2, 3, 4, 5, 0}, 0.1f, 0, 0.5f));
        ops.put("crossEntropyGradientInPlace", b -> {
            CrossEntropyOutput o = b.crossEntropyGradientInPlace(b.copy(t[4]), new int[] {1, 2, 3, 4, 5, 0}, 0.1f, 0, 0.5f);
            o.loss();
        });
        ops.put("sum", b -> b.sum(t[0], 1));
        ops.put("mean", b -> b.mean(t[0], -1));
        ops.put("argmax", b -> b.argmax(t[4]));
        ops.put("sumOfSquares", b -> b.sumOfSquares(t[0]));
        ops.put("adam", b -> {
            Tensor p = b.copy(t[1]);
            Tensor m = b.zeros(Shape.of(8, 8));
            Tensor v = b.zeros(Shape.of(8, 8));
            b.adamStepInPlace(p, t[1], m, v, new AdamStep(1e-3f, 0.9f, 0.98f, 1e-9f, 1, 0.5f));
            b.adamStepInPlace(p, t[1], m, v, new AdamStep(2e-3f, 0.9f, 0.98f, 1e-9f, 2, 1f));
        });
        ops.put("copyFromHost and toHost", b -> {
            b.copyFromHost(new float[64], t[1]);
            b.toHost(t[0]);
        });
        return ops;
    }
}
