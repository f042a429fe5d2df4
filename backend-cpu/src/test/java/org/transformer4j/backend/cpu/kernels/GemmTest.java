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

    private static MemorySegment random(Arena arena, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextDouble(-1, 1));
        }
        return s;
    }
}
