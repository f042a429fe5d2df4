package org.transformer4j.cli.bench;

import java.util.List;
import java.util.function.Function;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;

/**
 * One benchmarked op: how to make its inputs on a backend, how to run it once, and how much work one run
 * is (floating-point operations, or bytes moved for memory-bound ops).
 *
 * @param op     what is measured ("matmul", "softmax"...)
 * @param shape  the shapes, as printed
 * @param work   FLOP (for {@link Unit#GFLOPS}) or bytes (for {@link Unit#GBPS}) per run
 * @param unit   how to report the rate
 * @param inputs makes the inputs on a backend (closed by the caller after the case)
 * @param run    runs the op once on those inputs and returns its outputs (closed by the caller)
 */
public record OpCase(String op, String shape, double work, Unit unit,
        Function<Backend, List<Tensor>> inputs, Runner run) {

    public enum Unit {
        GFLOPS("GFLOP/s"), GBPS("GB/s");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Runs an op once. */
    @FunctionalInterface
    public interface Runner {
        List<Tensor> run(Backend backend, List<Tensor> inputs);
    }
}
