package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.cli.bench.BatchFile;
import org.transformer4j.cli.bench.FlopCountingBackend;
import org.transformer4j.cli.bench.FmaPeak;
import org.transformer4j.cli.bench.ForkOptions;
import org.transformer4j.cli.bench.Forks;
import org.transformer4j.cli.bench.MemoryUsage;
import org.transformer4j.cli.bench.OpProfiler;
import org.transformer4j.cli.bench.TrainBenchFigures;
import org.transformer4j.cli.inject.BackendSelection;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.SyntheticBatches;
import org.transformer4j.training.optim.Adam;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j bench train}: training speed and memory of a preset on synthetic sentence pairs (random ids,
 * lengths like the bundled corpus's), full steps (forward, loss, backward, Adam), on the selected backend.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time full training steps (forward, loss, backward, Adam) of a preset on synthetic batches of about"
                + " --batch-tokens tokens, and report target tokens/s, the fraction of the FMA peak the matrix products"
                + " reach, the Java heap allocated per step and peak memory (Java heap, resident set).",
                "Each batch holds sentences of one length (20-35 subwords, as length bucketing makes them); vocabulary"
                        + " 8000, shared."})
public final class TrainBenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Backend> backend;

    @Inject
    BackendSelection selection;

    @Option(names = "--preset", defaultValue = "base", paramLabel = "NAME",
            description = "tiny, small, base or big (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--batch-tokens", defaultValue = "4096", paramLabel = "N",
            description = "Target tokens per batch (<eos> included, padding not) (default: ${DEFAULT-VALUE}).")
    int batchTokens;

    @Option(names = "--steps", defaultValue = "5", paramLabel = "N", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--vocab", defaultValue = "8000", paramLabel = "N", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--save-batches", paramLabel = "FILE",
            description = "Also write the batches (warm-up ones first) as int32 token ids in a safetensors file, to time"
                    + " another implementation on the same data (see docs/pytorch-peer.md).")
    Path saveBatches;

    @Option(names = "--profile", description = "Also time every backend op (synchronising after each) and print the"
            + " time per op over the timed steps.")
    boolean profile;

    @Mixin
    ForkOptions forks;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (forks.startsForks()) {
            TrainBenchFigures.printSpread(Forks.run(spec, forks, TrainBenchFigures.class, TrainBenchFigures::summary, out), out);
            return;
        }
        OpProfiler profiler = new OpProfiler();
        FlopCountingBackend counted = new FlopCountingBackend(backend.get());
        Backend b = profile ? profiler.wrap(counted) : counted;
        TransformerConfig config = TransformerConfig.builder(preset).srcVocabSize(vocab).tgtVocabSize(vocab)
                .tieEmbeddings(TransformerConfig.TieEmbeddings.ALL).build();
        List<Batch> batches = SyntheticBatches.make(config, batchTokens, warmup + steps, 42);
        if (saveBatches != null) {
            BatchFile.write(saveBatches, batches, config, Map.of("preset", preset, "warmup", "" + warmup));
        }
        try (Transformer model = Transformer.initialise(b, config, 1);
                Adam adam = new Adam(b, Adam.Settings.paper())) {
            out.printf(Locale.ROOT, "%s on %s: %,d parameters, batches of %,d target tokens (%d sentences)%n", preset,
                    b.name(), model.parameterCount(), batches.getFirst().targetTokens(), batches.getFirst().sentences());
            out.flush();
            MemoryUsage.resetPeaks();
            long tokens = 0;
            long start = 0;
            long heapBefore = 0;
            for (int i = 0; i < batches.size(); i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                    profiler.clear();
                    counted.resetFlops();
                    heapBefore = MemoryUsage.allocatedHeapBytes();
                }
                Batch batch = batches.get(i);
                try (TensorScope scope = TensorScope.open()) {
                    Transformer.Forward f = model.forward(batch.source(), batch.targetInput(), ForwardContext.training(i));
                    CrossEntropyOutput ce = b.crossEntropyGradientInPlace(f.logits(), batch.labels(), 0.1f,
                            config.padId(), 1f / batch.targetTokens());
                    model.backward(f, ce.grad());
                }
                adam.step(model.parameters().values(), 1e-4, 1f);
                model.zeroGradients();
                b.synchronize();
                if (i >= warmup) {
                    tokens += batch.targetTokens();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long heap = MemoryUsage.allocatedHeapBytes() - heapBefore;
            out.printf(Locale.ROOT, "%,.0f target tokens/s, %.2f s per step (mean over %d consecutive steps)%n",
                    tokens / seconds, seconds / steps, steps);
            out.flush();
            // After the steps, so that the measurement cannot change how the JIT compiles them.
            TrainBenchFigures figures = new TrainBenchFigures(tokens / seconds, seconds / steps,
                    (double) counted.flops() / steps, heapBefore < 0 ? -1 : (double) heap / steps,
                    FmaPeak.measure(selection.options().effectiveThreads()));
            figures.print(out, steps);
            out.printf(Locale.ROOT, "peak memory: Java heap %.2f GiB, resident set %.2f GiB; backend: peak %.2f GiB of"
                    + " tensors, %.2f GiB cached for reuse at the end%n", MemoryUsage.peakHeap() / GIB,
                    MemoryUsage.peakResident() / GIB, b.memory().peak() / GIB, b.memory().cached() / GIB);
            if (profile) {
                profiler.print(out);
            }
            if (forks.isChild()) {
                Forks.report(figures, out);
            }
            out.flush();
        }
    }

    private static final double GIB = 1L << 30;
}
