// transformer4j: the CUDA backend's own kernels (everything but the matrix products, which are cuBLAS's).
//
// Each kernel is the GPU twin of a cpu-backend kernel (backend-cpu/.../kernels) and follows its definition:
// the same broadcasting rules, the same dropout mask (SplitMix64, api.spi.DropoutMask), the same treatment of
// fully masked softmax rows and ignored loss targets. Shapes arrive already checked by api.spi.KernelBackend.
//
// Written for clarity first (llm.c's dev/cuda "version 1" kernels are the model): grid-stride loops for
// elementwise work, one block per row for row-wise work with a shared-memory tree reduction (deterministic: the
// same sum order on every run), one thread per column where rows are summed (layer-norm parameter gradients,
// scatter-add), so that repeated indices and parameter gradients never need atomics and results repeat bit
// for bit. No warp shuffles, so that the same source also runs on the CPU emulator of the tests
// (src/test/cuda), which checks every kernel against a plain C++ reference without a GPU.
//
// Conventions: every kernel is extern "C" (stable names for cuModuleGetFunction); sizes are long long; row
// kernels must be launched with blockDim.x == T4J_BLOCK (a power of two).
//
// Compiled to PTX for compute_80 by build-ptx.sh; the PTX is committed as a resource, so the build and users need
// no CUDA toolkit.

#define T4J_BLOCK 256

// ------------------------------------------------------------------------------------------ block reductions

// The sum of v over the block, in a fixed tree order; every thread gets it. sh: T4J_BLOCK elements of shared
// memory. float for most rows, double where the cpu backend sums in double (the loss).
template <typename T>
__device__ T t4j_block_sum(T v, T* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int) threadIdx.x < s) {
            sh[threadIdx.x] += sh[threadIdx.x + s];
        }
        __syncthreads();
    }
    T r = sh[0];
    __syncthreads();
    return r;
}

__device__ float t4j_block_max(float v, float* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int) threadIdx.x < s) {
            sh[threadIdx.x] = fmaxf(sh[threadIdx.x], sh[threadIdx.x + s]);
        }
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();
    return r;
}

// The block's best (value, index) pair, the larger value first and the lower index on ties; every thread gets it
// in *value and *index. shv, shi: T4J_BLOCK elements of shared memory each.
__device__ void t4j_block_best(float* value, int* index, float* shv, int* shi) {
    shv[threadIdx.x] = *value;
    shi[threadIdx.x] = *index;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int) threadIdx.x < s) {
            float v = shv[threadIdx.x + s];
            int i = shi[threadIdx.x + s];
            if (v > shv[threadIdx.x] || (v == shv[threadIdx.x] && i < shi[threadIdx.x])) {
                shv[threadIdx.x] = v;
                shi[threadIdx.x] = i;
            }
        }
        __syncthreads();
    }
    *value = shv[0];
    *index = shi[0];
    __syncthreads(); // everyone has read the result before the shared arrays are written again
}

#define T4J_GRID_STRIDE(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long) blockDim.x * gridDim.x)

// ------------------------------------------------------------------------------------------ elementwise

extern "C" __global__ void t4j_fill(float* out, float value, long long n) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = value;
    }
}

extern "C" __global__ void t4j_copy(const float* x, float* out, long long n) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = x[i];
    }
}

// out = a + b, b (nb elements) repeated over a's leading axes.
extern "C" __global__ void t4j_add(const float* a, const float* b, float* out, long long n, long long nb) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = a[i] + b[i % nb];
    }
}

extern "C" __global__ void t4j_mul(const float* a, const float* b, float* out, long long n, long long nb) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = a[i] * b[i % nb];
    }
}

extern "C" __global__ void t4j_scale(const float* x, float alpha, float* out, long long n) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = alpha * x[i];
    }
}

// acc += alpha · x, x (nx elements) repeated over acc's leading axes.
extern "C" __global__ void t4j_axpy(float alpha, const float* x, long long nx, float* acc, long long n) {
    T4J_GRID_STRIDE(i, n) {
        acc[i] += alpha * x[i % nx];
    }
}

extern "C" __global__ void t4j_relu(const float* x, float* out, long long n) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

extern "C" __global__ void t4j_relu_backward(const float* dy, const float* y, float* out, long long n) {
    T4J_GRID_STRIDE(i, n) {
        out[i] = y[i] > 0.0f ? dy[i] : 0.0f;
    }
}

// api.spi.DropoutMask.uniform: SplitMix64 of (seed, index), the top 24 bits as a float in [0, 1).
__device__ float t4j_dropout_uniform(unsigned long long seed, unsigned long long index) {
    unsigned long long z = seed + (index + 1ULL) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return (float) (z >> 40) * 5.9604644775390625e-8f; // 2^-24
}

// Inverted dropout: kept elements (uniform >= p) are scaled by 1 / (1 - p), the others are zero.
extern "C" __global__ void t4j_dropout(const float* x, float p, long long seed, float* out, long long n) {
    float keepScale = 1.0f / (1.0f - p);
    T4J_GRID_STRIDE(i, n) {
        out[i] = t4j_dropout_uniform((unsigned long long) seed, (unsigned long long) i) >= p ? x[i] * keepScale : 0.0f;
    }
}

// ------------------------------------------------------------------------------------------ layout

// out = x with its axes permuted, for rank <= 4 (leading axes of size 1 pad smaller ranks): out has dims
// o0..o3, and the input element of out index (i0, i1, i2, i3) is at i0·s0 + i1·s1 + i2·s2 + i3·s3 (the input's
// strides, taken in the permuted order).
extern "C" __global__ void t4j_permute4(const float* x, float* out, long long o0, long long o1, long long o2,
        long long o3, long long s0, long long s1, long long s2, long long s3) {
    long long n = o0 * o1 * o2 * o3;
    T4J_GRID_STRIDE(i, n) {
        long long r = i;
        long long i3 = r % o3;
        r /= o3;
        long long i2 = r % o2;
        r /= o2;
        long long i1 = r % o1;
        long long i0 = r / o1;
        out[i] = x[i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3];
    }
}

// out = rows of a and b side by side: a as [outer, blockA], b as [outer, blockB].
extern "C" __global__ void t4j_concat(const float* a, long long blockA, const float* b, long long blockB,
        long long outer, float* out) {
    long long block = blockA + blockB;
    long long n = outer * block;
    T4J_GRID_STRIDE(i, n) {
        long long o = i / block;
        long long j = i % block;
        out[i] = j < blockA ? a[o * blockA + j] : b[o * blockB + (j - blockA)];
    }
}

// out[i, :] = table[ids[i], :]
extern "C" __global__ void t4j_gather(const float* table, long long d, const int* ids, long long count, float* out) {
    T4J_GRID_STRIDE(i, count * d) {
        long long row = i / d;
        out[i] = table[(long long) ids[row] * d + i % d];
    }
}

// table[ids[i], :] += rows[i, :]: one thread per column, ids in order (repeated ids summed without atomics,
// in the same order as the cpu backend).
extern "C" __global__ void t4j_scatter_add(float* table, long long d, const int* ids, long long count,
        const float* rows) {
    T4J_GRID_STRIDE(j, d) {
        for (long long i = 0; i < count; i++) {
            table[(long long) ids[i] * d + j] += rows[i * d + j];
        }
    }
}

// ------------------------------------------------------------------------------------------ reductions

// out[o, k] = scale · Σ_l x[o, l, k] for x seen as [outer, len, inner]: one thread per output.
extern "C" __global__ void t4j_reduce_sum(const float* x, long long outer, long long len, long long inner,
        float scale, float* out) {
    T4J_GRID_STRIDE(i, outer * inner) {
        long long o = i / inner;
        long long k = i % inner;
        const float* p = x + o * len * inner + k;
        float s = 0.0f;
        for (long long l = 0; l < len; l++) {
            s += p[l * inner];
        }
        out[i] = scale * s;
    }
}

// partials[block] = Σ x² over the block's grid-stride share, in double; the host adds the gridDim.x partials.
extern "C" __global__ void t4j_sum_squares(const float* x, long long n, double* partials) {
    __shared__ double sh[T4J_BLOCK];
    double s = 0.0;
    T4J_GRID_STRIDE(i, n) {
        s += (double) x[i] * (double) x[i];
    }
    double total = t4j_block_sum(s, sh);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = total;
    }
}

// out[r] = the index of the largest element of row r (the first one on ties): one block per row.
extern "C" __global__ void t4j_argmax(const float* x, long long d, int* out) {
    __shared__ float shv[T4J_BLOCK];
    __shared__ int shi[T4J_BLOCK];
    const float* row = x + (long long) blockIdx.x * d;
    float best = -INFINITY;
    int bestIndex = 0x7fffffff;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        if (row[j] > best) { // strictly greater: each thread keeps its first maximum
            best = row[j];
            bestIndex = (int) j;
        }
    }
    t4j_block_best(&best, &bestIndex, shv, shi);
    if (threadIdx.x == 0) {
        out[blockIdx.x] = bestIndex == 0x7fffffff ? 0 : bestIndex;
    }
}

// The k largest elements of each row, largest first, equal values in index order (api.TopK), one block per row:
// k passes, each taking the best element that comes strictly after the previous pick in that order. O(k·d),
// for the small k of beam search (twice the beam).
extern "C" __global__ void t4j_top_k(const float* x, long long d, int k, float* values, int* indices) {
    __shared__ float shv[T4J_BLOCK];
    __shared__ int shi[T4J_BLOCK];
    const float* row = x + (long long) blockIdx.x * d;
    float lastValue = INFINITY;
    int lastIndex = -1;
    for (int p = 0; p < k; p++) {
        float best = -INFINITY;
        int bestIndex = 0x7fffffff;
        for (long long j = threadIdx.x; j < d; j += blockDim.x) {
            float v = row[j];
            bool after = v < lastValue || (v == lastValue && (int) j > lastIndex);
            if (after && (v > best || (v == best && (int) j < bestIndex))) {
                best = v;
                bestIndex = (int) j;
            }
        }
        t4j_block_best(&best, &bestIndex, shv, shi);
        lastValue = best;
        lastIndex = bestIndex;
        if (threadIdx.x == 0) {
            values[(long long) blockIdx.x * k + p] = lastValue;
            indices[(long long) blockIdx.x * k + p] = lastIndex;
        }
    }
}

// ------------------------------------------------------------------------------------------ softmax

// y = softmax(scale · x + mask) over rows of d, one block per row. The mask (may be null) broadcasts: x has
// dims x0..x2 before the row length d (leading 1s pad smaller ranks), and the mask element of x's row
// (i0, i1, i2) and column j is at i0·m0 + i1·m1 + i2·m2 + j·m3 (0 strides on broadcast axes). A row that is
// -∞ everywhere gets zeros, as on the cpu backend.
extern "C" __global__ void t4j_softmax(const float* x, float scale, const float* mask, long long x1, long long x2,
        long long m0, long long m1, long long m2, long long m3, float* y, long long d) {
    __shared__ float sh[T4J_BLOCK];
    long long r = blockIdx.x;
    const float* xr = x + r * d;
    float* yr = y + r * d;
    const float* mr = 0;
    if (mask != 0) {
        long long i2 = r % x2;
        long long i1 = (r / x2) % x1;
        long long i0 = r / (x2 * x1);
        mr = mask + i0 * m0 + i1 * m1 + i2 * m2;
    }
    float mx = -INFINITY;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        float z = scale * xr[j] + (mr != 0 ? mr[j * m3] : 0.0f);
        yr[j] = z;
        mx = fmaxf(mx, z);
    }
    mx = t4j_block_max(mx, sh);
    if (mx == -INFINITY) {
        for (long long j = threadIdx.x; j < d; j += blockDim.x) {
            yr[j] = 0.0f;
        }
        return;
    }
    float s = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        float e = expf(yr[j] - mx);
        yr[j] = e;
        s += e;
    }
    s = t4j_block_sum(s, sh);
    float inv = 1.0f / s;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        yr[j] *= inv;
    }
}

// dx = scale · y · (dy − Σ_j y_j·dy_j), one block per row.
extern "C" __global__ void t4j_softmax_backward(const float* y, const float* dy, float scale, float* dx, long long d) {
    __shared__ float sh[T4J_BLOCK];
    long long off = (long long) blockIdx.x * d;
    float s = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        s += y[off + j] * dy[off + j];
    }
    s = t4j_block_sum(s, sh);
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        dx[off + j] = scale * y[off + j] * (dy[off + j] - s);
    }
}

// out = x − log Σ exp(x), one block per row.
extern "C" __global__ void t4j_log_softmax(const float* x, float* out, long long d) {
    __shared__ float sh[T4J_BLOCK];
    long long off = (long long) blockIdx.x * d;
    float mx = -INFINITY;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        mx = fmaxf(mx, x[off + j]);
    }
    mx = t4j_block_max(mx, sh);
    float s = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        s += expf(x[off + j] - mx);
    }
    s = t4j_block_sum(s, sh);
    float logZ = mx + logf(s);
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        out[off + j] = x[off + j] - logZ;
    }
}

// ------------------------------------------------------------------------------------------ layer norm

// y = (x − mean) · rstd · gamma + beta with rstd = 1 / sqrt(var + eps), one block per row; mean and rstd kept
// for the backward pass.
extern "C" __global__ void t4j_layer_norm(const float* x, const float* gamma, const float* beta, float eps, float* y,
        float* mean, float* rstd, long long d) {
    __shared__ float sh[T4J_BLOCK];
    long long r = blockIdx.x;
    const float* xr = x + r * d;
    float s = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        s += xr[j];
    }
    float mu = t4j_block_sum(s, sh) / (float) d;
    float q = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        float c = xr[j] - mu;
        q += c * c;
    }
    float var = t4j_block_sum(q, sh) / (float) d;
    float rs = 1.0f / sqrtf(var + eps);
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        y[r * d + j] = (xr[j] - mu) * rs * gamma[j] + beta[j];
    }
    if (threadIdx.x == 0) {
        mean[r] = mu;
        rstd[r] = rs;
    }
}

// dx for each row (one block per row): with x̂ = (x − mean)·rstd and g = dy·gamma,
// dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)).
extern "C" __global__ void t4j_layer_norm_backward_dx(const float* dy, const float* x, const float* gamma,
        const float* mean, const float* rstd, float* dx, long long d) {
    __shared__ float sh[T4J_BLOCK];
    long long r = blockIdx.x;
    long long off = r * d;
    float mu = mean[r];
    float rs = rstd[r];
    float sg = 0.0f;
    float sgx = 0.0f;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        float g = dy[off + j] * gamma[j];
        sg += g;
        sgx += g * (x[off + j] - mu) * rs;
    }
    sg = t4j_block_sum(sg, sh) / (float) d;
    sgx = t4j_block_sum(sgx, sh) / (float) d;
    for (long long j = threadIdx.x; j < d; j += blockDim.x) {
        float xh = (x[off + j] - mu) * rs;
        dx[off + j] = rs * (dy[off + j] * gamma[j] - sg - xh * sgx);
    }
}

// dgamma = Σ_rows dy·x̂, dbeta = Σ_rows dy: one thread per column, rows in order.
extern "C" __global__ void t4j_layer_norm_backward_params(const float* dy, const float* x, const float* mean,
        const float* rstd, float* dgamma, float* dbeta, long long rows, long long d) {
    T4J_GRID_STRIDE(j, d) {
        float g = 0.0f;
        float b = 0.0f;
        for (long long r = 0; r < rows; r++) {
            float v = dy[r * d + j];
            g += v * (x[r * d + j] - mean[r]) * rstd[r];
            b += v;
        }
        dgamma[j] = g;
        dbeta[j] = b;
    }
}

// ------------------------------------------------------------------------------------------ loss

// Cross-entropy with label smoothing ε over rows of v logits, one block per row: nll = −log p(target),
// loss = −(1−ε)·log p(target) − ε/v · Σ log p; both 0 for an ignored target. With grad (may be null, may be the
// logits themselves: every logit is read before it is overwritten) = gradScale·(p − ε/v), minus
// gradScale·(1−ε) at the target; zeros for an ignored target.
extern "C" __global__ void t4j_cross_entropy(const float* logits, const int* targets, float smoothing,
        int ignoreIndex, float gradScale, float* loss, float* nll, float* grad, long long v) {
    __shared__ float sh[T4J_BLOCK];
    __shared__ double shd[T4J_BLOCK];
    long long r = blockIdx.x;
    long long off = r * v;
    int t = targets[r];
    if (t == ignoreIndex) {
        if (grad != 0) {
            for (long long j = threadIdx.x; j < v; j += blockDim.x) {
                grad[off + j] = 0.0f;
            }
        }
        if (threadIdx.x == 0) {
            loss[r] = 0.0f;
            nll[r] = 0.0f;
        }
        return;
    }
    float mx = -INFINITY;
    double sumX = 0.0;
    for (long long j = threadIdx.x; j < v; j += blockDim.x) {
        float xj = logits[off + j];
        mx = fmaxf(mx, xj);
        sumX += xj;
    }
    mx = t4j_block_max(mx, sh);
    sumX = t4j_block_sum(sumX, shd);
    float xT = logits[off + t];
    double sumExp = 0.0;
    for (long long j = threadIdx.x; j < v; j += blockDim.x) {
        sumExp += (double) expf(logits[off + j] - mx);
    }
    sumExp = t4j_block_sum(sumExp, shd); // every thread has read its logits before any gradient is written
    double logZ = (double) mx + log(sumExp);
    double logpT = (double) xT - logZ;
    double uniform = (double) smoothing / (double) v;
    if (threadIdx.x == 0) {
        nll[r] = (float) -logpT;
        loss[r] = (float) (-(1.0 - smoothing) * logpT - uniform * (sumX - (double) v * logZ));
    }
    if (grad != 0) {
        float a = (float) (gradScale / sumExp);
        float b = (float) (-(double) gradScale * uniform);
        for (long long j = threadIdx.x; j < v; j += blockDim.x) {
            float g = expf(logits[off + j] - mx) * a + b;
            if (j == t) {
                g -= gradScale * (1.0f - smoothing);
            }
            grad[off + j] = g;
        }
    }
}

// ------------------------------------------------------------------------------------------ optimiser

// Adam with bias correction, in place: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², with g = gradScale·grad,
// p −= stepSize·m / (sqrt(v)·invSqrtC2 + eps), where stepSize = lr / c1 and invSqrtC2 = 1 / sqrt(c2) come from
// the host (as on the cpu backend).
extern "C" __global__ void t4j_adam(float* p, const float* grad, float* m, float* v, long long n, float b1, float b2,
        float eps, float stepSize, float invSqrtC2, float gradScale) {
    T4J_GRID_STRIDE(i, n) {
        float g = gradScale * grad[i];
        float mi = b1 * m[i] + (1.0f - b1) * g;
        float vi = b2 * v[i] + (1.0f - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        p[i] -= stepSize * mi / (sqrtf(vi) * invSqrtC2 + eps);
    }
}
