package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Backends;
import org.transformer4j.api.BackendProvider;
import org.transformer4j.cli.bench.FmaPeak;
import org.transformer4j.cli.bench.OpCase;
import org.transformer4j.cli.bench.OpCases;
import org.transformer4j.cli.bench.Sampler;
import org.transformer4j.cli.inject.BackendSelection;

import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j bench ops}: matmul at Transformer shapes, softmax, layer norm and the loss, on every available
 * backend (or the one named), printed side by side.
 */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = {"Time the Transformer's heavy ops at base-model shapes (4096 tokens, d_model 512, d_ff 2048,"
                + " 8 heads of 64) on every available backend, or on the one --backend names, side by side.",
                "Rates are medians over samples; compare them only within one run."})
public final class OpsBenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    BackendSelection selection;

    @Option(names = "--samples", defaultValue = "5", description = "Timed samples per op (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs before sampling (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--min-sample-ms", defaultValue = "100",
            description = "Each sample repeats the op for at least this long (default: ${DEFAULT-VALUE}).")
    int minSampleMs;

    @Option(names = "--scale", defaultValue = "1",
            description = "Divide the large dimensions by this (1 = real shapes; 8 or 16 for a quick look)"
                    + " (default: ${DEFAULT-VALUE}).")
    int scale;

    @Override
    public void run() {
        if (samples < 1 || warmup < 0 || minSampleMs < 0 || Integer.bitCount(scale) != 1 || scale > 64) {
            throw new IllegalArgumentException("bench ops: --samples must be at least 1, --warmup and --min-sample-ms"
                    + " at least 0, and --scale a power of two from 1 to 64");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = new ArrayList<>();
        if (selection.isDefault()) {
            for (BackendProvider p : Backends.providers()) {
                if (p.availability().available()) {
                    names.add(p.name());
                } else {
                    out.printf("(skipping %s: %s)%n", p.name(), p.availability().reason());
                }
            }
        } else {
            names.add(selection.name());
        }
        List<OpCase> cases = OpCases.transformerShapes(scale);
        Sampler sampler = new Sampler(warmup, samples, minSampleMs * 1_000_000L);
        double[][] rates = new double[cases.size()][names.size()];
        for (int b = 0; b < names.size(); b++) {
            try (Backend backend = Backends.open(names.get(b), selection.options())) {
                out.printf("%s: %s%n", backend.name(), backend.device().summary());
                out.flush();
                for (int c = 0; c < cases.size(); c++) {
                    rates[c][b] = sampler.measure(backend, cases.get(c));
                }
            }
        }
        FmaPeak peak = FmaPeak.measure(selection.options().effectiveThreads()); // after the ops: it cannot disturb them
        out.printf(Locale.ROOT, "%nmedian of %d samples of ≥ %d ms after %d warm-up runs, %s threads; FP32 FMA peak"
                + " measured now: %.0f GFLOP/s on %d threads, %.0f on one%n", samples, minSampleMs, warmup,
                selection.options().threads() == 0 ? "all" : selection.options().threads(), peak.total(), peak.threads(),
                peak.perThread());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s %-36s", "op", "shape"));
        names.forEach(n -> header.append(String.format(Locale.ROOT, " %18s", n)));
        out.println(header);
        for (int c = 0; c < cases.size(); c++) {
            OpCase oc = cases.get(c);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-24s %-36s", oc.op(), oc.shape()));
            for (int b = 0; b < names.size(); b++) {
                row.append(String.format(Locale.ROOT, " %10.1f %-7s", rates[c][b], oc.unit().label()));
            }
            out.println(row);
        }
        out.flush();
    }
}
