package org.transformer4j.training.optim;

import java.util.LinkedHashMap;
import java.util.Map;

import org.transformer4j.api.AdamStep;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.Parameter;

/**
 * Adam (paper section 5.3: β1 0.9, β2 0.98, ε 1e-9) with optional clipping of the global gradient norm. The
 * moment estimates live on the backend, one pair per parameter, created on the first update; the update itself
 * is the backend's fused {@link Backend#adamStepInPlace}.
 */
public final class Adam implements AutoCloseable {

    /** The optimiser's settings. {@code clipNorm} 0 means no clipping. */
    public record Settings(float beta1, float beta2, float epsilon, float clipNorm) {

        public static Settings paper() {
            return new Settings(0.9f, 0.98f, 1e-9f, 0f);
        }
    }

    /** What one update did: the gradient norm before clipping, and the scale clipping applied (1 if none). */
    public record Update(double gradientNorm, float clipScale) {
    }

    private final Backend backend;
    private final Settings settings;
    private final Map<String, Tensor[]> moments = new LinkedHashMap<>();
    private long steps;

    public Adam(Backend backend, Settings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * One update of every parameter that has a gradient: the gradients are multiplied by {@code gradScale}
     * (e.g. to average accumulated batches), then clipped to {@code clipNorm} if set.
     */
    public Update step(Iterable<Parameter> parameters, double learningRate, float gradScale) {
        double sumSquares = 0;
        for (Parameter p : parameters) {
            if (p.gradient() != null) {
                sumSquares += backend.sumOfSquares(p.gradient());
            }
        }
        double norm = Math.sqrt(sumSquares) * Math.abs(gradScale);
        float clip = settings.clipNorm() > 0 && norm > settings.clipNorm() ? (float) (settings.clipNorm() / norm) : 1f;
        steps++;
        AdamStep step = new AdamStep((float) learningRate, settings.beta1(), settings.beta2(), settings.epsilon(), steps,
                gradScale * clip);
        for (Parameter p : parameters) {
            if (p.gradient() == null) {
                continue;
            }
            Tensor[] mv = moments.computeIfAbsent(p.name(), name -> new Tensor[] {
                    TensorScope.takeOwnership(backend.zeros(p.shape())), TensorScope.takeOwnership(backend.zeros(p.shape()))});
            backend.adamStepInPlace(p.value(), p.gradient(), mv[0], mv[1], step);
        }
        return new Update(norm, clip);
    }

    /** The state to checkpoint: {@code m.<name>} and {@code v.<name>} per parameter, and the step count. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        moments.forEach((name, mv) -> {
            out.put("m." + name, mv[0]);
            out.put("v." + name, mv[1]);
        });
        return out;
    }

    /** Restores a checkpointed state: moments by parameter name ({@code m.<name>}, {@code v.<name>}) and the step count. */
    public void restore(Map<String, float[]> state, Map<String, Parameter> parameters, long stepCount) {
        close();
        for (Parameter p : parameters.values()) {
            float[] m = state.get("m." + p.name());
            float[] v = state.get("v." + p.name());
            if (m == null || v == null) {
                continue;
            }
            moments.put(p.name(), new Tensor[] {
                    TensorScope.takeOwnership(backend.fromHost(m, p.shape())),
                    TensorScope.takeOwnership(backend.fromHost(v, p.shape()))});
        }
        steps = stepCount;
    }

    @Override
    public void close() {
        moments.values().forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
        moments.clear();
    }
}
