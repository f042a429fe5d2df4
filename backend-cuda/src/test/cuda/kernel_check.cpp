// Runs every kernel of t4j_kernels.cu on the CPU emulator and compares it with a plain reference written here
// (double precision where it matters), on shapes that leave partial blocks and several elements per thread.
// Prints one line per check, "ok <name> <max error>" or "FAIL <name> ...", then the dropout mask's uniforms for
// the Java test to compare with api.spi.DropoutMask; exits with the number of failed checks.
// Built and run by KernelsOnCpuEmulatorTest (g++ -std=c++20 -pthread).
#include "emulator.h"

#include "../../main/cuda/t4j_kernels.cu"

#include <cstdio>
#include <cstdint>
#include <random>
#include <string>

static int failures = 0;
static std::mt19937 rng(42);

static std::vector<float> random(size_t n, float lo = -2, float hi = 2) {
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) {
        x = u(rng);
    }
    return v;
}

static void check(const std::string& name, const std::vector<float>& got, const std::vector<double>& want,
        double tolerance) {
    double worst = 0;
    size_t at = 0;
    bool finite = true;
    for (size_t i = 0; i < want.size(); i++) {
        double e = std::fabs(got[i] - want[i]) / std::max(1.0, std::fabs(want[i]));
        if (!std::isfinite(got[i]) && std::isfinite(want[i])) {
            finite = false;
        }
        if (e > worst) {
            worst = e;
            at = i;
        }
    }
    if (worst <= tolerance && finite && got.size() == want.size()) {
        std::printf("ok %s %.3g\n", name.c_str(), worst);
    } else {
        failures++;
        std::printf("FAIL %s: error %.3g at %zu (got %.9g, want %.9g), tolerance %.3g\n", name.c_str(), worst, at,
                (double) got[at], want[at], tolerance);
    }
}

static std::vector<double> widen(const std::vector<float>& v) {
    return std::vector<double>(v.begin(), v.end());
}

static const unsigned GRID = 3, BLOCK = 64; // grid-stride kernels: each thread takes several elements

static void elementwise() {
    long long n = 1000, nb = 40;
    auto a = random(n), b = random(nb), out = std::vector<float>(n);
    emulate(GRID, BLOCK, [&] { t4j_add(a.data(), b.data(), out.data(), n, nb); });
    std::vector<double> want(n);
    for (long long i = 0; i < n; i++) want[i] = (double) a[i] + b[i % nb];
    check("add", out, want, 1e-6);

    emulate(GRID, BLOCK, [&] { t4j_mul(a.data(), b.data(), out.data(), n, nb); });
    for (long long i = 0; i < n; i++) want[i] = (double) a[i] * b[i % nb];
    check("mul", out, want, 1e-6);

    emulate(GRID, BLOCK, [&] { t4j_scale(a.data(), -0.5f, out.data(), n); });
    for (long long i = 0; i < n; i++) want[i] = -0.5 * a[i];
    check("scale", out, want, 0);

    auto acc = random(n);
    auto acc0 = acc;
    emulate(GRID, BLOCK, [&] { t4j_axpy(0.25f, b.data(), nb, acc.data(), n); });
    for (long long i = 0; i < n; i++) want[i] = acc0[i] + 0.25 * b[i % nb];
    check("axpy", acc, want, 1e-6);

    emulate(GRID, BLOCK, [&] { t4j_relu(a.data(), out.data(), n); });
    for (long long i = 0; i < n; i++) want[i] = a[i] > 0 ? a[i] : 0;
    check("relu", out, want, 0);

    auto dy = random(n);
    emulate(GRID, BLOCK, [&] { t4j_relu_backward(dy.data(), a.data(), out.data(), n); });
    for (long long i = 0; i < n; i++) want[i] = a[i] > 0 ? dy[i] : 0;
    check("relu_backward", out, want, 0);

    emulate(GRID, BLOCK, [&] { t4j_fill(out.data(), 3.5f, n); });
    for (long long i = 0; i < n; i++) want[i] = 3.5;
    check("fill", out, want, 0);

    emulate(GRID, BLOCK, [&] { t4j_copy(a.data(), out.data(), n); });
    check("copy", out, widen(a), 0);
}

// api.spi.DropoutMask, transcribed: the Java test compares the printed uniforms with the Java original.
static double reference_uniform(uint64_t seed, uint64_t index) {
    uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return (double) (z >> 40) / 16777216.0;
}

static void dropout() {
    long long n = 1000, seed = -1234567890123LL;
    float p = 0.3f;
    auto x = random(n), out = std::vector<float>(n);
    emulate(GRID, BLOCK, [&] { t4j_dropout(x.data(), p, seed, out.data(), n); });
    std::vector<double> want(n);
    for (long long i = 0; i < n; i++) {
        want[i] = reference_uniform((uint64_t) seed, (uint64_t) i) >= p ? x[i] * (double) (1.0f / (1.0f - p)) : 0;
    }
    check("dropout", out, want, 1e-6);
    for (long long i = 0; i < 16; i++) {
        std::printf("uniform %lld %lld %.9g\n", seed, i, (double) t4j_dropout_uniform((uint64_t) seed, (uint64_t) i));
    }
}

static void layout() {
    // permute [2,3,4,5] by (0,2,3,1): out dims [2,4,5,3]; input strides [60,20,5,1] in the permuted order.
    int d[4] = {2, 3, 4, 5};
    int axes[4] = {0, 2, 3, 1};
    long long stride[4] = {60, 20, 5, 1};
    auto x = random(120), out = std::vector<float>(120);
    emulate(GRID, BLOCK, [&] {
        t4j_permute4(x.data(), out.data(), d[axes[0]], d[axes[1]], d[axes[2]], d[axes[3]], stride[axes[0]],
                stride[axes[1]], stride[axes[2]], stride[axes[3]]);
    });
    std::vector<double> want(120);
    long long o = 0;
    for (int i0 = 0; i0 < 2; i0++)
        for (int i2 = 0; i2 < 4; i2++)
            for (int i3 = 0; i3 < 5; i3++)
                for (int i1 = 0; i1 < 3; i1++) want[o++] = x[i0 * 60 + i1 * 20 + i2 * 5 + i3];
    check("permute4", out, want, 0);

    long long outer = 7, blockA = 12, blockB = 5;
    auto a = random(outer * blockA), b = random(outer * blockB), cat = std::vector<float>(outer * (blockA + blockB));
    emulate(GRID, BLOCK, [&] { t4j_concat(a.data(), blockA, b.data(), blockB, outer, cat.data()); });
    std::vector<double> wc;
    for (long long r = 0; r < outer; r++) {
        for (long long j = 0; j < blockA; j++) wc.push_back(a[r * blockA + j]);
        for (long long j = 0; j < blockB; j++) wc.push_back(b[r * blockB + j]);
    }
    check("concat", cat, wc, 0);

    long long rows = 10, dd = 33;
    auto table = random(rows * dd);
    std::vector<int> ids = {3, 0, 9, 3, 3, 7};
    long long count = (long long) ids.size();
    auto g = std::vector<float>(count * dd);
    emulate(GRID, BLOCK, [&] { t4j_gather(table.data(), dd, ids.data(), count, g.data()); });
    std::vector<double> wg;
    for (int id : ids)
        for (long long j = 0; j < dd; j++) wg.push_back(table[id * dd + j]);
    check("gather", g, wg, 0);

    auto upd = random(count * dd);
    auto t2 = table;
    emulate(GRID, BLOCK, [&] { t4j_scatter_add(t2.data(), dd, ids.data(), count, upd.data()); });
    std::vector<float> ws(table);
    for (long long i = 0; i < count; i++)
        for (long long j = 0; j < dd; j++) ws[ids[i] * dd + j] += upd[i * dd + j]; // same order, same bits
    check("scatter_add", t2, widen(ws), 0);
}

static void reductions() {
    long long outer = 3, len = 7, inner = 11;
    auto x = random(outer * len * inner), out = std::vector<float>(outer * inner);
    emulate(GRID, BLOCK, [&] { t4j_reduce_sum(x.data(), outer, len, inner, 1.0f / len, out.data()); });
    std::vector<double> want(outer * inner);
    for (long long o = 0; o < outer; o++)
        for (long long k = 0; k < inner; k++) {
            double s = 0;
            for (long long l = 0; l < len; l++) s += x[(o * len + l) * inner + k];
            want[o * inner + k] = s / len;
        }
    check("reduce_sum (mean)", out, want, 1e-6);

    long long n = 5000;
    auto y = random(n);
    std::vector<double> partials(GRID);
    emulate(GRID, T4J_BLOCK, [&] { t4j_sum_squares(y.data(), n, partials.data()); });
    double got = 0, ref = 0;
    for (double p : partials) got += p;
    for (float v : y) ref += (double) v * v;
    check("sum_squares", {(float) got}, {ref}, 1e-6);

    long long rows = 5, d = 700;
    auto z = random(rows * d);
    z[2 * d + 650] = 10; // a maximum late in a row, found by another thread than the first
    z[3 * d + 5] = 10;   // a tie: the first index wins
    z[3 * d + 600] = 10;
    std::vector<int> am(rows);
    emulate((unsigned) rows, T4J_BLOCK, [&] { t4j_argmax(z.data(), d, am.data()); });
    std::vector<float> gotIdx(rows);
    std::vector<double> wantIdx(rows);
    for (long long r = 0; r < rows; r++) {
        gotIdx[r] = (float) am[r];
        long long best = 0;
        for (long long j = 1; j < d; j++)
            if (z[r * d + j] > z[r * d + best]) best = j;
        wantIdx[r] = (double) best;
    }
    check("argmax", gotIdx, wantIdx, 0);

    // top-k: api.TopK's definition (insertion into a sorted list; equal values in index order), with ties
    // around the cut, a -inf and a row that is all one value.
    long long k = 8;
    for (long long j = 0; j < d; j++) z[4 * d + j] = 0.5f;
    z[0 * d + 17] = 10; z[0 * d + 3] = 10; z[0 * d + 600] = 10; z[0 * d + 99] = -INFINITY;
    std::vector<float> tv(rows * k), gotTop(rows * k * 2);
    std::vector<int> ti(rows * k);
    emulate((unsigned) rows, T4J_BLOCK, [&] { t4j_top_k(z.data(), d, (int) k, tv.data(), ti.data()); });
    std::vector<double> wantTop(rows * k * 2);
    for (long long r = 0; r < rows; r++) {
        std::vector<float> vals(k);
        std::vector<int> idx(k);
        int count = 0;
        for (long long j = 0; j < d; j++) {
            float v = z[r * d + j];
            if (count == k && !(v > vals[k - 1])) continue;
            int p = count == k ? (int) k - 1 : count;
            while (p > 0 && vals[p - 1] < v) { vals[p] = vals[p - 1]; idx[p] = idx[p - 1]; p--; }
            vals[p] = v;
            idx[p] = (int) j;
            if (count < k) count++;
        }
        for (long long j = 0; j < k; j++) {
            wantTop[(r * k + j) * 2] = vals[j];
            wantTop[(r * k + j) * 2 + 1] = idx[j];
            gotTop[(r * k + j) * 2] = tv[r * k + j];
            gotTop[(r * k + j) * 2 + 1] = (float) ti[r * k + j];
        }
    }
    check("top_k", gotTop, wantTop, 0);
}

static void softmaxes() {
    // x as [2, 3, 5, d] with a mask [2, 1, 1, d] (padding) and a mask [1, 1, 5, d] (causal).
    long long x0 = 2, x1 = 3, x2 = 5, d = 300, rows = x0 * x1 * x2;
    float scale = 0.125f;
    auto x = random(rows * d, -20, 20), y = std::vector<float>(rows * d);
    std::vector<float> pad(x0 * d, 0.0f);
    for (long long j = 200; j < d; j++) pad[1 * d + j] = -INFINITY;
    emulate((unsigned) rows, T4J_BLOCK,
            [&] { t4j_softmax(x.data(), scale, pad.data(), x1, x2, d, 0, 0, 1, y.data(), d); });
    std::vector<double> want(rows * d);
    auto reference = [&](auto maskAt) {
        for (long long r = 0; r < rows; r++) {
            double mx = -INFINITY;
            for (long long j = 0; j < d; j++) mx = std::max(mx, scale * (double) x[r * d + j] + maskAt(r, j));
            double s = 0;
            for (long long j = 0; j < d; j++) s += std::exp(scale * (double) x[r * d + j] + maskAt(r, j) - mx);
            for (long long j = 0; j < d; j++)
                want[r * d + j] = mx == -INFINITY ? 0 : std::exp(scale * (double) x[r * d + j] + maskAt(r, j) - mx) / s;
        }
    };
    reference([&](long long r, long long j) { return (double) pad[(r / (x1 * x2)) * d + j]; });
    check("softmax, padding mask", y, want, 1e-5);

    std::vector<float> causal(x2 * d, 0.0f);
    for (long long i = 0; i < x2; i++)
        for (long long j = i + 1; j < d; j++) causal[i * d + j] = -INFINITY;
    causal[3 * d + 0] = -INFINITY; // row 3 fully masked: zeros, not NaN
    for (long long j = 1; j <= 3; j++) causal[3 * d + j] = -INFINITY;
    emulate((unsigned) rows, T4J_BLOCK,
            [&] { t4j_softmax(x.data(), scale, causal.data(), x1, x2, 0, 0, d, 1, y.data(), d); });
    reference([&](long long r, long long j) { return (double) causal[(r % x2) * d + j]; });
    check("softmax, causal mask with a fully masked row", y, want, 1e-5);

    emulate((unsigned) rows, T4J_BLOCK, [&] { t4j_softmax(x.data(), 1.0f, nullptr, x1, x2, 0, 0, 0, 0, y.data(), d); });
    scale = 1.0f;
    reference([&](long long, long long) { return 0.0; });
    check("softmax, no mask", y, want, 1e-5);

    auto dy = random(rows * d), dx = std::vector<float>(rows * d);
    emulate((unsigned) rows, T4J_BLOCK, [&] { t4j_softmax_backward(y.data(), dy.data(), 0.5f, dx.data(), d); });
    for (long long r = 0; r < rows; r++) {
        double s = 0;
        for (long long j = 0; j < d; j++) s += (double) y[r * d + j] * dy[r * d + j];
        for (long long j = 0; j < d; j++) want[r * d + j] = 0.5 * y[r * d + j] * (dy[r * d + j] - s);
    }
    check("softmax_backward", dx, want, 1e-5);

    emulate((unsigned) rows, T4J_BLOCK, [&] { t4j_log_softmax(x.data(), y.data(), d); });
    for (long long r = 0; r < rows; r++) {
        double mx = -INFINITY, s = 0;
        for (long long j = 0; j < d; j++) mx = std::max(mx, (double) x[r * d + j]);
        for (long long j = 0; j < d; j++) s += std::exp(x[r * d + j] - mx);
        for (long long j = 0; j < d; j++) want[r * d + j] = x[r * d + j] - mx - std::log(s);
    }
    check("log_softmax", y, want, 1e-5);
}

static void layerNorms() {
    long long rows = 6, d = 520;
    float eps = 1e-5f;
    auto x = random(rows * d), gamma = random(d), beta = random(d);
    for (auto& v : x) v = v * 3 + 1;
    std::vector<float> y(rows * d), mean(rows), rstd(rows);
    emulate((unsigned) rows, T4J_BLOCK, [&] {
        t4j_layer_norm(x.data(), gamma.data(), beta.data(), eps, y.data(), mean.data(), rstd.data(), d);
    });
    std::vector<double> want(rows * d), wantMean(rows), wantRstd(rows);
    for (long long r = 0; r < rows; r++) {
        double mu = 0, var = 0;
        for (long long j = 0; j < d; j++) mu += x[r * d + j];
        mu /= d;
        for (long long j = 0; j < d; j++) var += (x[r * d + j] - mu) * (x[r * d + j] - mu);
        var /= d;
        double rs = 1 / std::sqrt(var + eps);
        wantMean[r] = mu;
        wantRstd[r] = rs;
        for (long long j = 0; j < d; j++) want[r * d + j] = (x[r * d + j] - mu) * rs * gamma[j] + beta[j];
    }
    check("layer_norm", y, want, 1e-5);
    check("layer_norm mean", mean, wantMean, 1e-5);
    check("layer_norm rstd", rstd, wantRstd, 1e-5);

    auto dy = random(rows * d);
    std::vector<float> dx(rows * d), dgamma(d), dbeta(d);
    emulate((unsigned) rows, T4J_BLOCK, [&] {
        t4j_layer_norm_backward_dx(dy.data(), x.data(), gamma.data(), mean.data(), rstd.data(), dx.data(), d);
    });
    emulate(GRID, BLOCK, [&] {
        t4j_layer_norm_backward_params(dy.data(), x.data(), mean.data(), rstd.data(), dgamma.data(), dbeta.data(),
                rows, d);
    });
    std::vector<double> wdx(rows * d), wg(d, 0), wb(d, 0);
    for (long long r = 0; r < rows; r++) {
        double sg = 0, sgx = 0;
        for (long long j = 0; j < d; j++) {
            double xh = (x[r * d + j] - wantMean[r]) * wantRstd[r];
            double g = (double) dy[r * d + j] * gamma[j];
            sg += g;
            sgx += g * xh;
            wg[j] += dy[r * d + j] * xh;
            wb[j] += dy[r * d + j];
        }
        for (long long j = 0; j < d; j++) {
            double xh = (x[r * d + j] - wantMean[r]) * wantRstd[r];
            wdx[r * d + j] = wantRstd[r] * ((double) dy[r * d + j] * gamma[j] - sg / d - xh * sgx / d);
        }
    }
    check("layer_norm_backward dx", dx, wdx, 1e-4);
    check("layer_norm_backward dgamma", dgamma, wg, 1e-5);
    check("layer_norm_backward dbeta", dbeta, wb, 1e-5);
}

static void crossEntropy() {
    long long rows = 5, v = 1000;
    float smoothing = 0.1f, gradScale = 0.25f;
    int ignore = 0;
    auto logits = random(rows * v, -8, 8);
    std::vector<int> targets = {7, 0, 999, 500, 1}; // row 1 is ignored
    std::vector<float> loss(rows), nll(rows), grad(rows * v);
    emulate((unsigned) rows, T4J_BLOCK, [&] {
        t4j_cross_entropy(logits.data(), targets.data(), smoothing, ignore, gradScale, loss.data(), nll.data(),
                grad.data(), v);
    });
    std::vector<double> wl(rows), wn(rows), wg(rows * v);
    for (long long r = 0; r < rows; r++) {
        if (targets[r] == ignore) {
            continue; // all zeros
        }
        double mx = -INFINITY, s = 0, sumLogp = 0;
        for (long long j = 0; j < v; j++) mx = std::max(mx, (double) logits[r * v + j]);
        for (long long j = 0; j < v; j++) s += std::exp(logits[r * v + j] - mx);
        double logZ = mx + std::log(s);
        for (long long j = 0; j < v; j++) sumLogp += logits[r * v + j] - logZ;
        double logpT = logits[r * v + targets[r]] - logZ;
        wn[r] = -logpT;
        wl[r] = -(1 - smoothing) * logpT - smoothing / v * sumLogp;
        for (long long j = 0; j < v; j++) {
            double p = std::exp(logits[r * v + j] - logZ);
            wg[r * v + j] = gradScale * (p - smoothing / v - (j == targets[r] ? 1 - smoothing : 0));
        }
    }
    check("cross_entropy loss", loss, wl, 1e-5);
    check("cross_entropy nll", nll, wn, 1e-5);
    check("cross_entropy grad", grad, wg, 1e-5);

    // In place: the gradient written over the logits gives the same result.
    auto inPlace = logits;
    emulate((unsigned) rows, T4J_BLOCK, [&] {
        t4j_cross_entropy(inPlace.data(), targets.data(), smoothing, ignore, gradScale, loss.data(), nll.data(),
                inPlace.data(), v);
    });
    check("cross_entropy grad in place", inPlace, wg, 1e-5);
    emulate((unsigned) rows, T4J_BLOCK, [&] {
        t4j_cross_entropy(logits.data(), targets.data(), smoothing, ignore, gradScale, loss.data(), nll.data(),
                nullptr, v);
    });
    check("cross_entropy loss without gradient", loss, wl, 1e-5);
}

static void adam() {
    long long n = 777;
    auto p = random(n), g = random(n), m = random(n, 0, 0.1f), v = random(n, 0, 0.1f);
    float lr = 1e-3f, b1 = 0.9f, b2 = 0.98f, eps = 1e-9f, gradScale = 0.5f;
    double c1 = 1 - std::pow(0.9, 3), c2 = 1 - std::pow(0.98, 3);
    float stepSize = (float) (lr / c1), invSqrtC2 = (float) (1 / std::sqrt(c2));
    std::vector<double> wp(n);
    for (long long i = 0; i < n; i++) {
        double gi = gradScale * g[i];
        double mi = b1 * m[i] + (1 - b1) * gi;
        double vi = b2 * v[i] + (1 - b2) * gi * gi;
        wp[i] = p[i] - lr / c1 * mi / (std::sqrt(vi / c2) + eps);
    }
    emulate(GRID, BLOCK, [&] {
        t4j_adam(p.data(), g.data(), m.data(), v.data(), n, b1, b2, eps, stepSize, invSqrtC2, gradScale);
    });
    check("adam", p, wp, 1e-5);
}

int main() {
    elementwise();
    dropout();
    layout();
    reductions();
    softmaxes();
    layerNorms();
    crossEntropy();
    adam();
    std::printf("%d failed\n", failures);
    return failures;
}
