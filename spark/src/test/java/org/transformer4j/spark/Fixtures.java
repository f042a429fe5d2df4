package org.transformer4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.cli.T4j;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.spark.cli.T4jSpark;
import org.transformer4j.training.data.TextLines;

/**
 * What the Spark tests share: the bundled dev verses (214 Spanish-English pairs), a tiny model with a byte-pair
 * vocabulary learnt from them (random weights: its translations are nonsense, but deterministic, which is all a
 * comparison needs), and runs of {@code t4j} and {@code t4j spark} in this JVM.
 */
final class Fixtures {

    static final String CORPUS = "/org/transformer4j/training/corpus/bible-es-en/";
    static final List<String> SOURCES = TextLines.readResource(CORPUS + "dev.es.gz", "dev.es");
    static final List<String> TARGETS = TextLines.readResource(CORPUS + "dev.en.gz", "dev.en");
    static final Path ROOT = Path.of("target", "spark-tests").toAbsolutePath();

    private static Path model;

    private Fixtures() {
    }

    /** The tiny model (created once per JVM under target/spark-tests/model). */
    static synchronized Path model() {
        if (model == null) {
            Path dir = ROOT.resolve("model");
            Vocabularies vocabularies = Vocabularies.learn(SOURCES, TARGETS, 500, true);
            try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
                ModelStore store = new ModelStore(backend);
                TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(vocabularies.source().size())
                        .tgtVocabSize(vocabularies.target().size()).build();
                try (Transformer m = store.initialise(config, 1)) {
                    store.save(m, dir);
                }
            }
            vocabularies.write(dir);
            model = dir;
        }
        return model;
    }

    /** A fresh directory under target/spark-tests. */
    static Path directory(String name) {
        Path dir = ROOT.resolve(name + "-" + System.nanoTime());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of a command line in this JVM: its exit code and what it printed. */
    record Run(int exitCode, String out, String err) {

        /** The error output, which must be a single line. */
        String errorLine() {
            String[] lines = err.strip().split("\n");
            if (lines.length != 1) {
                throw new AssertionError("expected one line on stderr, got:\n" + err);
            }
            return lines[0];
        }
    }

    /** {@code t4j ARGS}, the command line tool, as the reference. */
    static Run t4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code t4j spark ARGS}. */
    static Run t4jSpark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = T4jSpark.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** The part files of a job's output directory, in part order. */
    static List<Path> parts(Path output) {
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a text output, in part order. */
    static List<String> textRows(Path output) {
        List<String> rows = new ArrayList<>();
        for (Path p : parts(output)) {
            rows.addAll(TextLines.read(p));
        }
        return rows;
    }

    /**
     * The rows of a text output keyed by their line number (the first field); fails on a line number given twice,
     * so a duplicate can never hide.
     */
    static TreeMap<Long, String> byLine(List<String> rows) {
        TreeMap<Long, String> out = new TreeMap<>();
        for (String row : rows) {
            int tab = row.indexOf('\t');
            long line = Long.parseLong(row.substring(0, tab));
            if (out.put(line, row.substring(tab + 1)) != null) {
                throw new AssertionError("line " + line + " appears twice in the output");
            }
        }
        return out;
    }
}
