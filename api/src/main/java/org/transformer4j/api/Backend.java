package org.transformer4j.api;


/**
 * The op set a compute backend must implement: everything the Transformer needs for its forward and
 * backward passes, and nothing else. Softmax, layer norm and the loss are fused ops because they matter
 * for speed; each one's plain definition is in its javadoc, and the conformance suite checks every backend
 * against a float64 reference of exactly that definition.
 *
 * <p>Conventions, for every op:
 * <ul>
 *   <li>tensors are dense and row-major; "rows" means all leading axes flattened, the last axis being the
 *       row; shapes are validated with {@link org.transformer4j.api.spi.OpShapes}, so every backend rejects
 *       the same mistakes with the same message ({@link IllegalArgumentException});</li>
 *   <li>ops return new tensors and do not modify their inputs, unless the name says {@code InPlace} or the
 *       javadoc says the op accumulates into an argument;</li>
 *   <li>returned tensors belong to the caller, or to the innermost {@link TensorScope} open on the calling
 *       thread;</li>
 *   <li>integer ids ({@code int[]}) live on the host: they are small, and the CLI and data loader make them
 *       there.</li>
 * </ul>
 *
 * <p>A backend is created by its {@link org.transformer4j.api.BackendProvider} and closed by whoever
 * created it; closing releases its threads and any memory it cached.
 */
public interface Backend extends AutoCloseable {

    // ---------------------------------------------------------------- identity and memory

    /** The provider name: {@code cpu}, {@code nd4j}, {@code cuda}. */
    String name();

    /** What this backend computes on. */
    DeviceInfo device();

    /** The memory this backend holds right now, for tests that prove it returns to its baseline. */
    MemoryStats memory();

    /**
     * Frees the memory kept for reuse after tensors closed ({@link MemoryStats#cached()}), giving it back to the
     * system (PyTorch's {@code torch.cuda.empty_cache()}). Live tensors are not affected.
     */
    default void releaseCachedMemory() {
    }

    /**
     * Waits until all work queued on the device is done. Backends that compute synchronously (cpu) return at
     * once; benchmarks call this before reading the clock.
     */
    default void synchronize() {
    }

    /** Releases the backend's threads and cached memory. Tensors must not be used afterwards. */
    @Override
    void close();

    // ---------------------------------------------------------------- creation and host copies

    /** A new tensor of zeros. */
    Tensor zeros(Shape shape);

    /** A new tensor holding a copy of {@code data} (row-major, {@code data.length == shape.size()}). */
    Tensor fromHost(float[] data, Shape shape);

    /** Copies {@code src} (row-major, {@code src.length == dst.size()}) into the existing tensor {@code dst}. */
    void copyFromHost(float[] src, Tensor dst);

    /**
     * Copies the tensor's elements into the start of {@code dst} ({@code dst.length >= t.size()}; the rest of
     * {@code dst} is left as it was), so that a caller can reuse one array for tensors of different sizes.
     */
    void toHost(Tensor t, float[] dst);

    /** A new host array with a copy of the tensor's elements. */
    default float[] toHost(Tensor t) {
        float[] out = new float[t.shape().intSize()];
        toHost(t, out);
        return out;
    }

    // ---------------------------------------------------------------- views and copies

    /**
     * A view of {@code x}'s storage with another shape of the same size: no copy, the storage is freed when
     * the last view of it is closed.
     */
    Tensor reshape(Tensor x, Shape shape);

    /**
     * A copy of {@code x} with its axes permuted: {@code out.shape[i] = x.shape[axes[i]]} and
     * {@code out[i0, i1, ...] = x[j...]} where {@code j[axes[k]] = i[k]} (numpy's {@code transpose(axes)}
     * followed by a copy to row-major).
     */
    Tensor permute(Tensor x, int... axes);

    /** A copy of {@code x}. */
    Tensor copy(Tensor x);

    /**
     * {@code a} and {@code b} joined along {@code axis} (negative counts from the end), a new tensor: every
     * other axis must match (numpy's {@code concatenate((a, b), axis)}). Incremental decoding appends each
     * step's keys and values to its cache with it.
     */
    Tensor concat(Tensor a, Tensor b, int axis);

    // ---------------------------------------------------------------- matrix products

    /**
     * Matrix product {@code op(a) · op(b)}, where {@code op(m)} is {@code m} or its transpose (of the last
     * two axes).
     * <ul>
     *   <li>rank 2: {@code a} is {@code [M, K]} ({@code [K, M]} when {@code transA}), {@code b} is
     *       {@code [K, N]} ({@code [N, K]} when {@code transB}); the result is {@code [M, N]};</li>
     *   <li>rank 3 and more (batched): both have the same leading axes {@code [...]}, each pair of trailing
     *       matrices is multiplied as above; the result is {@code [..., M, N]}.</li>
     * </ul>
     * Definition: {@code out[.., i, j] = Σ_k op(a)[.., i, k] · op(b)[.., k, j]}.
     */
    Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB);

    // ---------------------------------------------------------------- elementwise

    /**
     * {@code a + b}. {@code b} has {@code a}'s shape or a suffix of it, and is then repeated over
     * {@code a}'s leading axes (a bias {@code [D]} added to {@code [N, D]}, positions {@code [T, D]} added to
     * {@code [B, T, D]}).
     */
    Tensor add(Tensor a, Tensor b);

    /** {@code a ⊙ b}, elementwise, with {@code b} broadcast as in {@link #add}. */
    Tensor mul(Tensor a, Tensor b);

    /** {@code alpha · x}. */
    Tensor scale(Tensor x, float alpha);

    /**
     * In place: {@code acc += alpha · x}, with {@code x} of {@code acc}'s shape or a suffix of it (repeated over
     * the leading axes, as in {@link #add}). Accumulates gradients, and adds biases without a new tensor.
     */
    void addInPlace(Tensor acc, Tensor x, float alpha);

    /** {@code max(x, 0)}. */
    Tensor relu(Tensor x);

    /** The gradient of {@link #relu}: {@code dx = dy · [y > 0]}, given the forward output {@code y}. */
    Tensor reluBackward(Tensor dy, Tensor y);

    /**
     * Inverted dropout: {@code out[i] = x[i] · keep(i) / (1 - p)} where {@code keep(i)} is
     * {@link org.transformer4j.api.spi.DropoutMask#keep(long, long, float)} of the flat row-major index
     * {@code i}. The mask is a pure function of {@code (seed, i)}, identical on every backend and not stored:
     * the backward pass is the same call on the gradient with the same seed. {@code p} is in {@code [0, 1)};
     * {@code p == 0} returns a copy.
     */
    Tensor dropout(Tensor x, float p, long seed);

    // ---------------------------------------------------------------- softmax and layer norm

    /**
     * Softmax over the last axis of {@code scale · x + mask}:
     * {@code out[.., j] = exp(z[.., j]) / Σ_k exp(z[.., k])}, {@code z = scale · x + mask}.
     *
     * <p>{@code mask} is null or an additive mask of the same rank as {@code x} whose every dimension equals
     * {@code x}'s or is 1 (numpy broadcasting): 0 keeps a position, {@code -∞} (or a large negative number)
     * removes it. A row whose every position is {@code -∞} gives zeros, not NaN.
     */
    Tensor softmax(Tensor x, float scale, Tensor mask);

    /**
     * The gradient of {@link #softmax} with respect to {@code x}, given its output {@code y}:
     * {@code dx[.., j] = scale · y[.., j] · (dy[.., j] - Σ_k dy[.., k] · y[.., k])}. The mask needs no
     * gradient: masked positions have {@code y = 0}.
     */
    Tensor softmaxBackward(Tensor y, Tensor dy, float scale);

    /** {@code log(softmax(x))} over the last axis, computed stably as {@code x - max - log Σ exp(x - max)}. */
    Tensor logSoftmax(Tensor x);

    /**
     * Layer normalisation over the last axis ({@code D}):
     * {@code y = (x - mean) · rstd · gamma + beta}, {@code mean = Σ x / D},
     * {@code rstd = 1 / sqrt(Σ (x - mean)² / D + eps)} (the biased variance, as PyTorch's LayerNorm).
     * {@code gamma} and {@code beta} are {@code [D]}. Returns {@code y} and, for the backward pass,
     * {@code mean} and {@code rstd} of shape {@code x.shape} without its last axis.
     */
    LayerNormOutput layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps);

    /**
     * The gradients of {@link #layerNorm}, with {@code x̂ = (x - mean) · rstd} and {@code g = dy · gamma}:
     * {@code dx = rstd · (g - mean_D(g) - x̂ · mean_D(g · x̂))}, {@code dgamma = Σ_rows dy · x̂},
     * {@code dbeta = Σ_rows dy}.
     */
    LayerNormGradients layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd);

    // ---------------------------------------------------------------- embeddings

    /**
     * Embedding lookup: {@code out[i, :] = table[ids[i], :]} for a table {@code [V, D]}; the result is
     * {@code [ids.length, D]}. Every id must be in {@code [0, V)}.
     */
    Tensor gather(Tensor table, int[] ids);

    /**
     * The gradient of {@link #gather}, accumulated in place: {@code table[ids[i], :] += rows[i, :]} for every
     * {@code i} (repeated ids add up). {@code rows} is {@code [ids.length, D]}.
     */
    void scatterAddInPlace(Tensor table, int[] ids, Tensor rows);

    // ---------------------------------------------------------------- loss

    /**
     * Softmax cross-entropy with label smoothing, per row of {@code logits [N, V]}. With
     * {@code p = softmax(logits[i])} and the smoothed target {@code q = (1 - ε) · onehot(targets[i]) + ε / V}:
     * {@code loss[i] = -Σ_v q_v · log p_v} and {@code nll[i] = -log p[targets[i]]}. Rows whose target is
     * {@code ignoreIndex} (padding) have loss and nll 0. Both results are {@code [N]}; the gradient is null.
     */
    CrossEntropyOutput crossEntropy(Tensor logits, int[] targets, float smoothing, int ignoreIndex);

    /**
     * {@link #crossEntropy} and the gradient of {@code gradScale · Σ_i loss[i]} with respect to the logits:
     * {@code grad[i] = gradScale · (p - q)}, zero on ignored rows. {@code gradScale} is typically
     * {@code 1 / (number of target tokens)}.
     */
    CrossEntropyOutput crossEntropyWithGradient(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale);

    /**
     * {@link #crossEntropyWithGradient} that writes the gradient over the logits, which training no longer needs
     * once the loss is known: the returned {@code grad()} is {@code logits} itself. Saves the largest tensor of a
     * training step ({@code [tokens, vocabulary]}).
     */
    CrossEntropyOutput crossEntropyGradientInPlace(Tensor logits, int[] targets, float smoothing, int ignoreIndex,
            float gradScale);

    // ---------------------------------------------------------------- reductions

    /** The sum over {@code axis} (negative counts from the end); the result drops that axis. */
    Tensor sum(Tensor x, int axis);

    /** The mean over {@code axis}: {@link #sum} divided by the length of the axis. */
    Tensor mean(Tensor x, int axis);

    /** The index of the largest element of each row (the last axis), on the host; ties go to the lowest index. */
    int[] argmax(Tensor x);

    /** {@code Σ x²} over all elements, accumulated and returned in double precision (for gradient clipping). */
    double sumOfSquares(Tensor x);

    /**
     * The {@code k} largest elements of each row (the last axis) and their indices, on the host, as
     * {@link TopK#of} defines them (largest first; equal values in index order); {@code 1 <= k <= } the row length.
     * Beam search takes the best next tokens this way instead of copying every row of log-probabilities to the
     * host. This default does exactly that copy; backends override it with a kernel.
     */
    default TopK topK(Tensor x, int k) {
        int d = x.shape().last();
        return TopK.of(toHost(x), Math.toIntExact(x.shape().rows()), d, k);
    }

    // ---------------------------------------------------------------- optimiser

    /**
     * One Adam update (Kingma and Ba, with bias correction, as PyTorch's {@code Adam}), in place on
     * {@code param}, {@code m} and {@code v} (all of {@code param}'s shape), elementwise:
     * <pre>
     * g = gradScale · grad
     * m = β1 · m + (1 − β1) · g
     * v = β2 · v + (1 − β2) · g²
     * param −= lr · (m / (1 − β1^step)) / (sqrt(v / (1 − β2^step)) + ε)
     * </pre>
     * Fused because it reads and writes every parameter once per step.
     */
    void adamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step);
}
