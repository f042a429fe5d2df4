package org.transformer4j.it.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.TensorScope;
import org.transformer4j.api.testing.Float64Backend;
import org.transformer4j.cli.T4j;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.it.conformance.BackendsUnderTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code t4j score} on every available backend agrees with the float64 reference backend on the same model
 * and ids: each token's log-probability within 1e-4 (float32 through a 2+2-layer model), for post- and
 * pre-norm models written by {@code t4j init}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class ScoreAcrossBackendsTest {

    private final String backend;

    @TempDir
    Path dir;

    ScoreAcrossBackendsTest(String backend) {
        this.backend = backend;
    }

    @Test
    void scoresMatchTheFloat64Reference() throws Exception {
        BackendsUnderTest.assumeAvailable(backend);
        for (String norm : List.of("post", "pre")) {
            Path model = dir.resolve(norm);
            run("init", "--preset", "tiny", "--src-vocab", "40", "--tgt-vocab", "50", "--norm", norm, "--seed", "11",
                    "--out", model.toString());
            int[] src = {5, 17, 39, 8, 8, 4};
            int[] tgt = {12, 49, 3, 30};
            JsonNode json = new ObjectMapper().readTree(run("score", "--backend", backend, "--model", model.toString(),
                    "--src-ids", join(src), "--tgt-ids", join(tgt)));
            double[] expected = reference(model, src, tgt);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], json.get("logprobs").get(i).asDouble(), 1e-4, norm + " token " + i);
            }
        }
    }

    /** The same model's log-probabilities computed in float64. */
    private static double[] reference(Path dir, int[] src, int[] tgt) {
        Float64Backend f64 = new Float64Backend();
        try (Transformer m = new ModelStore(f64).load(dir); TensorScope scope = TensorScope.open()) {
            TransformerConfig c = m.config();
            int[] in = new int[tgt.length + 1];
            in[0] = c.bosId();
            System.arraycopy(tgt, 0, in, 1, tgt.length);
            int[] out = java.util.Arrays.copyOf(tgt, tgt.length + 1);
            out[tgt.length] = c.eosId();
            Transformer.Forward f = m.forward(TokenBatch.of(src), TokenBatch.of(in), ForwardContext.inference());
            double[] nll = f64.data(f64.crossEntropy(f.logits(), out, 0f, -1).nll());
            double[] lp = new double[nll.length];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = -nll[i];
            }
            return lp;
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static String join(int[] ids) {
        return String.join(",", java.util.Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }
}
