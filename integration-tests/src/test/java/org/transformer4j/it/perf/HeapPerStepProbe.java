package org.transformer4j.it.perf;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.decoding.search.CachedStepModel;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.Search;
import org.transformer4j.decoding.search.SearchInput;
import org.transformer4j.decoding.search.StepModel;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.SyntheticBatches;
import org.transformer4j.training.optim.Adam;

/**
 * Measures, in this fresh JVM, the Java heap bytes allocated per training step of a {@code small} model and per
 * decoding step (greedy and beam 4, key/value cache, a batch of 32 sentences) once warmed up, over all threads
 * ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, which counts threads that have ended
 * too). Tensors live in native memory, so what the heap sees is the bookkeeping of ops and searches, and any
 * vector that the JIT failed to keep in a register.
 *
 * <p>Prints one line, {@code train=M/X greedy=M/X beam=M/X}: the median and the largest bytes of one step. A
 * training step is forward, loss, backward and Adam; a decoding step is what passes from one call of the step
 * model to the next (the model's step and the search's own work).
 *
 * <p>Arguments: {@code threads warmupSteps measuredSteps batchTokens}. With {@code -Dprobe.jfr=DIR}, Flight
 * Recorder files of the measured parts show where the bytes come from ({@link AllocationRecording}).
 */
public final class HeapPerStepProbe {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** The JIT's accumulated compilation time, to tell when warm-up is over. */
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /** Warm-up steps beyond the fixed ones, at most, waiting for a step without compilation. */
    private static final int MAX_EXTRA_WARMUP = 15;

    /** Target tokens forced on every sentence, so that a search takes this many steps at least. */
    private static final int FORCED = 30;

    private HeapPerStepProbe() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        int batchTokens = Integer.parseInt(args[3]);
        TransformerConfig config = TransformerConfig.builder("small").srcVocabSize(8000).tgtVocabSize(8000)
                .tieEmbeddings(TransformerConfig.TieEmbeddings.ALL).build();
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(threads));
                Transformer model = Transformer.initialise(backend, config, 1);
                Adam adam = new Adam(backend, Adam.Settings.paper())) {
            List<Batch> batches = SyntheticBatches.make(config, batchTokens, warmup + MAX_EXTRA_WARMUP + measured, 42);
            // The fixed warm-up, then more steps until one runs while the JIT compiles nothing: on a busy machine
            // the compiler threads fall behind, and steps still running partly interpreted allocate megabytes
            // (the Vector API's fallback) that the steady state does not. A process stuck on a slow path (issue
            // 10's) stays on it after the JIT is done, so this waits out warm-up without hiding one.
            int step = 0;
            for (; step < warmup; step++) {
                trainingStep(backend, model, adam, batches.get(step), step);
            }
            for (int extra = 0; extra < MAX_EXTRA_WARMUP; extra++, step++) {
                long compiling = JIT.getTotalCompilationTime();
                trainingStep(backend, model, adam, batches.get(step), step);
                if (JIT.getTotalCompilationTime() == compiling) {
                    step++;
                    break;
                }
            }
            long[] train = new long[measured];
            try (AllocationRecording recording = AllocationRecording.start("train")) {
                for (int i = 0; i < measured; i++) {
                    long before = THREADS.getTotalThreadAllocatedBytes();
                    trainingStep(backend, model, adam, batches.get(step + i), step + i);
                    train[i] = THREADS.getTotalThreadAllocatedBytes() - before;
                }
            }
            List<int[]> sources = sources(config, 32, 25);
            long[] greedy = decodingSteps(model, sources, DecodingOptions.greedy(), warmup, "greedy");
            long[] beam = decodingSteps(model, sources, DecodingOptions.defaults().withBeam(4, 1), warmup, "beam");
            System.out.printf(Locale.ROOT, "train=%s greedy=%s beam=%s%n", summary(train), summary(greedy), summary(beam));
        }
    }

    private static String summary(long[] bytes) {
        long[] sorted = bytes.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] + "/" + sorted[sorted.length - 1];
    }

    private static void trainingStep(Backend b, Transformer model, Adam adam, Batch batch, int step) {
        try (TensorScope scope = TensorScope.open()) {
            Transformer.Forward f = model.forward(batch.source(), batch.targetInput(), ForwardContext.training(step));
            CrossEntropyOutput ce = b.crossEntropyGradientInPlace(f.logits(), batch.labels(), 0.1f,
                    model.config().padId(), 1f / batch.targetTokens());
            model.backward(f, ce.grad());
        }
        adam.step(model.parameters().values(), 1e-4, 1f);
        model.zeroGradients();
        b.synchronize();
    }

    /**
     * The heap bytes of every decoding step of one search over {@code sources}, after {@code warmup} unmeasured
     * searches. The first step is left out: it sizes the step model's host array for the search.
     */
    private static long[] decodingSteps(Transformer model, List<int[]> sources, DecodingOptions options, int warmup,
            String name) {
        for (int i = 0; i < warmup; i++) {
            search(model, sources, options, new StepClock());
        }
        StepClock clock = new StepClock();
        try (AllocationRecording recording = AllocationRecording.start(name)) {
            search(model, sources, options, clock);
        }
        return clock.intervals();
    }

    private static void search(Transformer model, List<int[]> sources, DecodingOptions options, StepClock clock) {
        int n = sources.size();
        List<int[]> prefixes = new ArrayList<>();
        int[] maxLengths = new int[n];
        long[] keys = new long[n];
        SplittableRandom r = new SplittableRandom(11);
        for (int s = 0; s < n; s++) {
            // An untrained model ends every sentence at once: a forced prefix makes the search take FORCED full
            // steps before it chooses freely.
            prefixes.add(r.ints(FORCED, 4, model.config().tgtVocabSize()).toArray());
            maxLengths[s] = Math.max(FORCED + 1, options.maxLength(sources.get(s).length));
            keys[s] = s;
        }
        SearchInput input = new SearchInput(prefixes, maxLengths, keys, model.config().bosId(), model.config().eosId());
        Search search = options.search();
        try (StepModel cached = new CachedStepModel(model, sources, search.group());
                StepModel clocked = new Clocked(cached, clock)) {
            search.run(clocked, input);
        }
    }

    private static List<int[]> sources(TransformerConfig config, int count, int length) {
        SplittableRandom r = new SplittableRandom(7);
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(r.ints(length + r.nextInt(-3, 4), 4, config.srcVocabSize()).toArray());
        }
        return sources;
    }

    /** The heap bytes between consecutive steps. */
    private static final class StepClock {
        private final long[] marks = new long[1024];
        private int count;

        void tick() {
            marks[count++] = THREADS.getTotalThreadAllocatedBytes();
        }

        long[] intervals() {
            long[] out = new long[Math.max(1, count - 2)];
            for (int i = 1; i + 1 < count; i++) {
                out[i - 1] = marks[i + 1] - marks[i];
            }
            return out;
        }
    }

    /** A step model that reads the clock at every step. */
    private record Clocked(StepModel inner, StepClock clock) implements StepModel {
        @Override
        public int vocabularySize() {
            return inner.vocabularySize();
        }

        @Override
        public int group() {
            return inner.group();
        }

        @Override
        public int rows() {
            return inner.rows();
        }

        @Override
        public float[] step(int[] tokens) {
            clock.tick();
            return inner.step(tokens);
        }

        @Override
        public void select(int[] sentences, int[] rows) {
            inner.select(sentences, rows);
        }

        @Override
        public void close() {
        }
    }
}
