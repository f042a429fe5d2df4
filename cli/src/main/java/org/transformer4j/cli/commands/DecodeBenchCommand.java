package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.transformer4j.cli.bench.DecodeBenchFigures;
import org.transformer4j.cli.bench.DecodedIdsFile;
import org.transformer4j.cli.bench.ForkOptions;
import org.transformer4j.cli.bench.Forks;
import org.transformer4j.cli.bench.MemoryUsage;
import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.data.BundledCorpus;
import org.transformer4j.training.data.DataException;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j bench decode}: decoding speed of a trained model on the bundled dev set, greedy and beam search,
 * with and without the key/value cache, side by side in one run.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time translating the first --sentences lines of the bundled dev set (Spanish→English) with greedy"
                + " decoding and beam search, each with and without the key/value cache, in one run; print sentences/s,"
                + " source tokens/s, output tokens/s and the Java heap allocated per sentence, and check that the cache"
                + " does not change the translations."})
public final class DecodeBenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Translators> translators;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/quickstart",
            description = "A model trained on the bundled corpus (default: ${DEFAULT-VALUE}, made by t4j quickstart).")
    Path model;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "100",
            description = "Dev lines to translate per configuration (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Translator.DEFAULT_BATCH_SIZE,
            description = "Sentences decoded together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "4", description = "Beam size of the beam rows (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--cache-only",
            description = "Time only the configurations with the key/value cache (the recomputing ones take most of the"
                    + " time with long outputs), without the check that the cache does not change the translations.")
    boolean cacheOnly;

    @Option(names = "--save-ids", paramLabel = "FILE",
            description = "Also write the source ids and every configuration's output ids and time as JSON, to compare"
                    + " another implementation on the same sentences (see docs/pytorch-peer.md).")
    Path saveIds;

    @Mixin
    ForkOptions forks;

    private record Row(String name, DecodingOptions options) {
    }

    @Override
    public void run() {
        if (!Files.exists(model.resolve(ModelStore.CONFIG_FILE))) {
            throw new DataException(model + " holds no model: run t4j quickstart first, or pass --model DIR");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (forks.startsForks()) {
            DecodeBenchFigures.printSpread(Forks.run(spec, forks, DecodeBenchFigures.class, DecodeBenchFigures::summary, out),
                    out);
            return;
        }
        List<String> lines = BundledCorpus.dev().source();
        lines = lines.subList(0, Math.min(sentences, lines.size()));
        DecodingOptions greedy = DecodingOptions.greedy();
        DecodingOptions beamSearch = DecodingOptions.defaults().withBeam(beam, 1);
        List<Row> rows = List.of(new Row("greedy, cache", greedy), new Row("greedy, no cache", greedy.withCache(false)),
                new Row("beam " + beam + ", cache", beamSearch), new Row("beam " + beam + ", no cache", beamSearch.withCache(false)));
        if (cacheOnly) {
            rows = rows.stream().filter(row -> row.options().cache()).toList();
        }
        try (Translator translator = translators.get().open(List.of(model), batchSize, Translator.DEFAULT_MAX_SOURCE_TOKENS)) {
            long sourceTokens = lines.stream().mapToLong(l -> translator.vocabularies().source().encode(l).length).sum();
            out.printf(Locale.ROOT, "%d dev sentences, %d source tokens, batches of %d, model %s%n", lines.size(),
                    sourceTokens, batchSize, model);
            translator.translate(lines.subList(0, Math.min(8, lines.size())), greedy); // warm-up: JIT, memory pools
            out.printf(Locale.ROOT, "%-20s %12s %15s %15s %10s %18s%n", "decoding", "sentences/s", "src tokens/s",
                    "out tokens/s", "speed-up", "heap MiB/sentence");
            List<List<String>> outputs = new ArrayList<>();
            List<DecodeBenchFigures.Row> figures = new ArrayList<>();
            double[] seconds = new double[rows.size()];
            List<DecodedIdsFile.Run> runs = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                long heapBefore = MemoryUsage.allocatedHeapBytes();
                long start = System.nanoTime();
                List<Translation> result = translator.translate(lines, rows.get(r).options());
                seconds[r] = (System.nanoTime() - start) / 1e9;
                double heap = heapBefore < 0 ? -1 : (double) (MemoryUsage.allocatedHeapBytes() - heapBefore) / lines.size();
                outputs.add(result.stream().map(Translation::best).toList());
                runs.add(new DecodedIdsFile.Run(rows.get(r).name(), rows.get(r).options(), result, seconds[r]));
                long produced = result.stream().mapToLong(t -> t.hypotheses().isEmpty() ? 0
                        : t.hypotheses().getFirst().tokens().length + 1).sum();
                String speedup = !cacheOnly && r % 2 == 1 ? String.format(Locale.ROOT, "%.2fx", seconds[r] / seconds[r - 1]) : "";
                figures.add(new DecodeBenchFigures.Row(rows.get(r).name(), lines.size() / seconds[r],
                        sourceTokens / seconds[r], produced / seconds[r], heap));
                out.printf(Locale.ROOT, "%-20s %12.2f %15.1f %15.1f %10s %18s%n", rows.get(r).name(), lines.size() / seconds[r],
                        sourceTokens / seconds[r], produced / seconds[r], speedup,
                        heap < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", heap / (1 << 20)));
                out.flush();
            }
            boolean sameGreedy = !cacheOnly && outputs.get(0).equals(outputs.get(1));
            boolean sameBeam = !cacheOnly && outputs.get(2).equals(outputs.get(3));
            if (!cacheOnly) {
                out.printf("speed-up: time without the cache / time with it. Same translations with and without the"
                        + " cache: greedy %s, beam %s.%n", sameGreedy ? "yes" : "NO", sameBeam ? "yes" : "NO");
            }
            out.println("heap MiB/sentence: Java heap allocated by all threads, per sentence (the decoder does not count"
                    + " its steps).");
            if (forks.isChild()) {
                Forks.report(new DecodeBenchFigures(figures, !cacheOnly, sameGreedy, sameBeam), out);
            }
            out.flush();
            if (saveIds != null) {
                DecodedIdsFile.write(saveIds, model, batchSize,
                        lines.stream().map(translator.vocabularies().source()::encode).toList(), runs);
            }
        }
    }
}
