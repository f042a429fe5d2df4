package org.transformer4j.it.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.cli.T4j;
import org.transformer4j.it.conformance.BackendsUnderTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code t4j score} gives the same log-probabilities on nd4j as on cpu for the same model and ids: each token's
 * within {@value #TOLERANCE} (float32 on both sides, through a 3+3-layer model of width 256 and a
 * 1000-word softmax; measured: at most 2e-6), post- and pre-norm. ScoreAcrossBackendsTest holds
 * both to the float64 reference within 1e-4 as well.
 */
class Nd4jScoreAgreesWithCpuTest {

    static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @Test
    void scoresAgreeWithTheCpuBackend() throws Exception {
        BackendsUnderTest.assumeAvailable("nd4j");
        SplittableRandom random = new SplittableRandom(5);
        String src = ids(random, 23);
        String tgt = ids(random, 31);
        double worst = 0;
        for (String norm : new String[] {"post", "pre"}) {
            Path model = dir.resolve(norm);
            run("init", "--preset", "small", "--src-vocab", "1000", "--tgt-vocab", "1000", "--norm", norm, "--seed", "3",
                    "--out", model.toString());
            JsonNode cpu = score("cpu", model, src, tgt);
            JsonNode nd4j = score("nd4j", model, src, tgt);
            assertEquals(cpu.get("logprobs").size(), nd4j.get("logprobs").size());
            for (int i = 0; i < cpu.get("logprobs").size(); i++) {
                double a = cpu.get("logprobs").get(i).asDouble();
                double b = nd4j.get("logprobs").get(i).asDouble();
                assertEquals(a, b, TOLERANCE, norm + "-norm token " + i);
                worst = Math.max(worst, Math.abs(a - b));
            }
            assertEquals(cpu.get("sum").asDouble(), nd4j.get("sum").asDouble(), TOLERANCE * cpu.get("logprobs").size());
        }
        System.out.printf("t4j score: nd4j and cpu log-probabilities differ by %.2g at most%n", worst);
    }

    private static String ids(SplittableRandom random, int n) {
        return IntStream.range(0, n).mapToObj(i -> Integer.toString(random.nextInt(4, 1000))).collect(Collectors.joining(","));
    }

    private static JsonNode score(String backend, Path model, String src, String tgt) throws Exception {
        return new ObjectMapper().readTree(run("score", "--backend", backend, "--model", model.toString(), "--src-ids", src,
                "--tgt-ids", tgt));
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        assertEquals(0, code, err.toString());
        return out.toString();
    }
}
