package org.transformer4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;

/**
 * What is particular to the cpu backend: its options, its device description, its native memory, and that the
 * Vector API kernels agree with their scalar twins (the conformance suite in integration-tests checks both
 * against float64 references through the default, SIMD, configuration).
 */
class CpuBackendTest {

    private final CpuBackendProvider provider = new CpuBackendProvider();

    @Test
    void isAvailableAndDescribesTheMachine() {
        assertTrue(provider.availability().available(), provider.availability().reason());
        assertEquals("cpu", provider.name());
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), provider.device().details().get("cores"));
        assertTrue(provider.device().details().get("simd").matches("\\d+-bit vectors \\(\\d+ floats\\)"),
                provider.device().summary());
    }

    @Test
    void honoursThreadsAndRejectsUnknownProperties() {
        try (CpuBackend b = (CpuBackend) provider.create(new BackendOptions(3, Map.of("simd", "false")))) {
            assertEquals(3, b.threads());
            assertFalse(b.simd());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new BackendOptions(1, Map.of("smid", "false"))));
        assertTrue(e.getMessage().contains("smid"), e.getMessage());
    }

    @Test
    void closedTensorsAreCachedAndTheCacheGoesBackToTheSystemOnRequest() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc to read the resident set");
        try (Backend b = provider.create(BackendOptions.threads(1))) {
            long before = residentBytes();
            Tensor t = b.zeros(Shape.of(64, 1 << 20)); // 256 MiB, every page touched by the zero fill
            long holding = residentBytes();
            assertEquals(256L << 20, b.memory().inUse());
            t.close();
            assertEquals(0, b.memory().inUse());
            assertEquals(256L << 20, b.memory().cached(), "kept warm for the next tensor of its size");
            b.releaseCachedMemory();
            assertEquals(0, b.memory().cached());
            long after = residentBytes();
            assertTrue(holding - before > 200L << 20, "resident set grew by " + (holding - before) + " bytes");
            assertTrue(holding - after > 200L << 20, "resident set shrank by only " + (holding - after) + " bytes");
        }
    }

    private static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @CsvSource({"1,7,33,false,true", "3,129,65,false,false", "64,256,16,true,false", "77,300,2100,false,true",
            "130,513,17,true,true", "4,1024,33,false,false", "30,64,30,false,true", "35,35,64,true,false",
            "29,31,64,false,false", "33,64,47,true,true", "130,2100,70,true,false", "256,4100,64,true,false", "32,256,1000,false,true", "64,300,700,false,true"})
    void simdAndScalarMatmulAgree(int m, int k, int n, boolean ta, boolean tb) {
        // Both sum k float products in other orders: rounding differences grow with k.
        compare((b, in) -> b.matmul(in[0], in[1], ta, tb), 2e-5 + 1e-7 * k,
                ta ? Shape.of(k, m) : Shape.of(m, k), tb ? Shape.of(n, k) : Shape.of(k, n));
    }

    @Test
    void simdAndScalarRowKernelsAgree() {
        Shape x = Shape.of(37, 129);
        compare((b, in) -> b.softmax(in[0], 0.3f, null), 1e-6, x);
        compare((b, in) -> b.logSoftmax(in[0]), 1e-5, x);
        compare((b, in) -> b.layerNorm(in[0], in[1], in[2], 1e-5f).y(), 1e-5, x, Shape.of(129), Shape.of(129));
        compare((b, in) -> b.sum(in[0], 1), 1e-5, x);
        Shape bias = Shape.of(2100, 130); // a bias gradient: few columns, rows summed in parts per thread
        compare((b, in) -> b.sum(in[0], 0), 1e-4, bias);
        compare((b, in) -> b.mean(in[0], 0), 1e-6, bias);
        for (int part = 0; part < 3; part++) {
            int which = part;
            compare((b, in) -> {
                var ln = b.layerNorm(in[1], in[2], in[3], 1e-5f);
                var g = b.layerNormBackward(in[0], in[1], in[2], ln.mean(), ln.rstd());
                return which == 0 ? g.dx() : which == 1 ? g.dgamma() : g.dbeta();
            }, 1e-5, x, x, Shape.of(129), Shape.of(129));
        }
        compare((b, in) -> b.crossEntropyWithGradient(in[0], new SplittableRandom(1).ints(37, 0, 129).toArray(),
                0.1f, 3, 0.5f).grad(), 1e-6, x);
    }

    @Test
    void simdAndScalarDropoutAreTheSameMask() {
        for (float p : new float[] {0.1f, 0.3f, 0.5f}) {
            for (long seed : new long[] {0, 12345, -7_000_000_000_123L}) {
                compare((b, in) -> b.dropout(in[0], p, seed), 0, Shape.of(3, 33_339)); // whole vectors and a tail
            }
        }
    }

    /** Runs {@code op} on a SIMD and a scalar backend with the same random inputs and compares the outputs. */
    private void compare(BiFunction<Backend, Tensor[], Tensor> op, double tolerance, Shape... inputs) {
        float[][] data = new float[inputs.length][];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < inputs.length; i++) {
            data[i] = new float[inputs[i].intSize()];
            for (int j = 0; j < data[i].length; j++) {
                data[i][j] = (float) r.nextDouble(-1, 1);
            }
        }
        float[] simd = run(true, op, inputs, data);
        float[] scalar = run(false, op, inputs, data);
        for (int i = 0; i < simd.length; i++) {
            assertEquals(scalar[i], simd[i], tolerance * (1 + Math.abs(scalar[i])), "element " + i);
        }
    }

    private float[] run(boolean simd, BiFunction<Backend, Tensor[], Tensor> op, Shape[] shapes, float[][] data) {
        try (Backend b = provider.create(new BackendOptions(2, Map.of("simd", Boolean.toString(simd))));
                TensorScope scope = TensorScope.open()) {
            Tensor[] in = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                in[i] = b.fromHost(data[i], shapes[i]);
            }
            return op.apply(b, in).toFloatArray();
        }
    }
}
