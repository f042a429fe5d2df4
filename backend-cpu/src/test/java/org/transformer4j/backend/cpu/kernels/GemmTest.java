package org.transformer4j.backend.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GemmTest {

    @Test
    void aShortTimesATransposedMatrixIsBitForBitTheRowsOfTheTallProduct() {
        int tall = 70; // over the rows up to which A·Bᵀ is computed as (B·Aᵀ)ᵀ
        int m = 32;
        int k = 300;
        int n = 530;
        try (Arena arena = Arena.ofShared(); Parallel par = new Parallel(2)) {
            MemorySegment a = random(arena, tall * k, 1);
            MemorySegment b = random(arena, n * k, 2);
            MemorySegment cTall = arena.allocate(4L * tall * n, 64);
            MemorySegment cShort = arena.allocate(4L * m * n, 64);
            Gemm.multiply(par, true, tall, n, k, a, 0, false, b, 0, true, cTall, 0);
            Gemm.multiply(par, true, m, n, k, a, 0, false, b, 0, true, cShort, 0);
            for (long i = 0; i < (long) m * n; i++) {
                assertEquals(Float.floatToRawIntBits(Mem.get(cTall, i)), Float.floatToRawIntBits(Mem.get(cShort, i)),
                        "element " + i);
            }
        }
    }

    /**
     * Decoding's attention products (a few query rows against the cached keys, then the weights against the cached
     * values) run without packing, several columns or vectors at a time; every element must still be the very sum
     * of the one-row kernels, {@link Simd#dot} and {@link Simd#axpy} over B's rows, at depths and widths that leave
     * vector tails and scalar tails, on one thread and on two.
     */
    @Test
    void fewRowsGiveTheBitsOfTheOneRowKernels() {
        int[][] shapes = {{1, 64, 7}, {4, 64, 37}, {3, 19, 130}, {2, 100, 64}, {4, 5, 3}, {1, 70, 1}};
        try (Arena arena = Arena.ofShared(); Parallel two = new Parallel(2)) {
            for (Parallel par : new Parallel[] {Parallel.SEQUENTIAL, two}) {
                for (int[] shape : shapes) {
                    int m = shape[0];
                    int k = shape[1];
                    int n = shape[2];
                    MemorySegment a = random(arena, m * k, 3);
                    MemorySegment bt = random(arena, n * k, 4); // B stored transposed: n rows of k
                    MemorySegment b = random(arena, k * n, 5); // B stored as k rows of n
                    MemorySegment c = arena.allocate(4L * m * n, 64);
                    MemorySegment expected = arena.allocate(4L * m * n, 64);

                    Gemm.multiply(par, true, m, n, k, a, 0, false, bt, 0, true, c, 0);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            Mem.set(expected, (long) i * n + j, Simd.dot(true, a, (long) i * k, bt, (long) j * k, k));
                        }
                    }
                    assertSameBits(expected, c, m * n, "A·Bᵀ " + m + "x" + k + " · " + k + "x" + n);

                    Gemm.multiply(par, true, m, n, k, a, 0, false, b, 0, false, c, 0);
                    Mem.fill(expected, 0, m * n, 0f);
                    for (int i = 0; i < m; i++) {
                        for (int p = 0; p < k; p++) {
                            Simd.axpy(true, Mem.get(a, (long) i * k + p), b, (long) p * n, expected, (long) i * n, n);
                        }
                    }
                    assertSameBits(expected, c, m * n, "A·B " + m + "x" + k + " · " + k + "x" + n);
                }
            }
        }
    }

    private static void assertSameBits(MemorySegment expected, MemorySegment actual, int count, String what) {
        for (long i = 0; i < count; i++) {
            assertEquals(Float.floatToRawIntBits(Mem.get(expected, i)), Float.floatToRawIntBits(Mem.get(actual, i)),
                    what + ", element " + i);
        }
    }

    private static MemorySegment random(Arena arena, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextDouble(-1, 1));
        }
        return s;
    }
}
