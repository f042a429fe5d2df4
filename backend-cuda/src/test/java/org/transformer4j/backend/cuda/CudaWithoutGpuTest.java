package org.transformer4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.BackendUnavailableException;

/** What the cuda backend can show without a GPU: its refusals, and its mapping of our products onto cuBLAS. */
class CudaWithoutGpuTest {

    @Test
    void aMissingCublasIsAReasonNamingWhatWasTried() {
        Cublas.Library lib = Cublas.find(List.of("libt4j-no-such-cublas.so.1", "libt4j-no-such-cublas.so.2"));
        assertFalse(lib.found());
        assertEquals("cuBLAS not found (tried libt4j-no-such-cublas.so.1, libt4j-no-such-cublas.so.2)", lib.problem());
    }

    @Test
    void withoutAGpuTheBackendIsUnavailableWithItsReasonAndUnknownOptionsAreRefused() {
        CudaBackendProvider provider = new CudaBackendProvider();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new BackendOptions(0, Map.of("tf23", "true"))));
        assertEquals("unknown cuda backend option 'tf23' (known: tf32, device)", bad.getMessage());
        assumeFalse(provider.availability().available(), "a GPU is here: the unavailable path is not reachable");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> provider.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains(provider.availability().reason()), e.getMessage());
    }

    /**
     * The column-major call that {@link Cublas#gemm} makes, run through a plain column-major SGEMM written to the
     * BLAS definition, gives our row-major op(A)·op(B) for all four transpositions: the operand swap and the
     * leading dimensions are right before any GPU sees them.
     */
    @Test
    void theColumnMajorCallComputesTheRowMajorProduct() {
        int m = 3;
        int n = 5;
        int k = 4;
        SplittableRandom r = new SplittableRandom(7);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                float[] a = random(r, m * k); // m×k, or k×m stored when transA
                float[] b = random(r, k * n); // k×n, or n×k stored when transB
                float[] c = new float[m * n];
                Cublas.Call call = Cublas.Call.of(transA, transB, m, n, k);
                columnMajorSgemm(call.opFirst(), call.opSecond(), call.m(), call.n(), call.k(), b, call.ldFirst(), a,
                        call.ldSecond(), c, call.ldc());
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double want = 0;
                        for (int p = 0; p < k; p++) {
                            float aip = transA ? a[p * m + i] : a[i * k + p];
                            float bpj = transB ? b[j * k + p] : b[p * n + j];
                            want += aip * bpj;
                        }
                        assertEquals(want, c[i * n + j], 1e-5, "transA " + transA + ", transB " + transB + ", C(" + i
                                + ", " + j + ")");
                    }
                }
            }
        }
    }

    /** C (m×n, column-major, ldc) = op1(X)·op2(Y), as BLAS defines SGEMM with alpha 1 and beta 0. */
    private static void columnMajorSgemm(int op1, int op2, int m, int n, int k, float[] x, int ldx, float[] y, int ldy,
            float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float xv = op1 == Cublas.OP_N ? x[i + p * ldx] : x[p + i * ldx]; // X is m×k, or k×m when T
                    float yv = op2 == Cublas.OP_N ? y[p + j * ldy] : y[j + p * ldy]; // Y is k×n, or n×k when T
                    s += xv * yv;
                }
                c[i + j * ldc] = s;
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }
}
