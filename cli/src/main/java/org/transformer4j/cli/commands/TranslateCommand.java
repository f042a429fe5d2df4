package org.transformer4j.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.options.DecodingOptionsMixin;
import org.transformer4j.decoding.Hypothesis;
import org.transformer4j.decoding.IdTranslator;
import org.transformer4j.decoding.Translation;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.decoding.eval.Bleu;
import org.transformer4j.decoding.eval.ChrF;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.training.data.DataException;
import org.transformer4j.training.data.TextLines;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j translate}: text in, translations out. From a file: all lines at full batch speed, written
 * atomically. From standard input: whatever lines have arrived are translated together and each result is
 * flushed at once, so it works interactively and in a pipe.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Translate sentences (one per line) from standard input or --input, one translation per line to"
                + " standard output or --output.",
                "With --nbest N > 1 the output is a TSV: index (0-based input line), rank (1 = best), score, text; a"
                        + " line that could not be translated gives one row with rank 1 and an empty score and text.",
                "A line that cannot be translated (too long, or failing) gives an empty output line and a warning on"
                        + " stderr, never a shifted file."})
public final class TranslateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Translators> translators;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model directory; repeat it for an ensemble (log-probabilities averaged per step).")
    List<Path> models;

    @Option(names = "--input", paramLabel = "FILE", description = "Source sentences (default: standard input).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write (default: standard output).")
    Path output;

    @Option(names = "--prefix", paramLabel = "FILE",
            description = "Target prefixes, line by line with the input: each translation starts with its line's text"
                    + " (an empty line: no prefix). Needs --input.")
    Path prefix;

    @Option(names = "--ref", paramLabel = "FILE",
            description = "Reference translations: print BLEU and chrF (sacreBLEU's defaults) after translating; on"
                    + " stderr when the translations go to standard output.")
    List<Path> references;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Translator.DEFAULT_BATCH_SIZE,
            description = "Sentences decoded together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-source-len", paramLabel = "N", defaultValue = "" + Translator.DEFAULT_MAX_SOURCE_TOKENS,
            description = "Longer lines (in subwords) are left untranslated with a warning (default: ${DEFAULT-VALUE}).")
    int maxSourceLength;

    @Option(names = "--ids",
            description = "Token ids in and out, no vocabulary needed: each input (and --prefix) line holds ids separated"
                    + " by spaces, each output line the output ids, without <bos> and <eos> (with --nbest, in the TSV's text"
                    + " column). For comparing with other implementations of the model.")
    boolean ids;

    @Mixin
    DecodingOptionsMixin decoding;

    /** A batch of input lines (and their prefixes, or null) to translations; {@code firstLine} numbers them from 1. */
    @FunctionalInterface
    private interface LineTranslator {
        List<Translation> translate(List<String> lines, List<String> prefixes, int firstLine);
    }

    @Override
    public void run() {
        DecodingOptions options;
        try {
            options = decoding.toOptions();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        if (prefix != null && input == null) {
            throw new CliException(ExitCodes.USAGE, "--prefix needs --input (prefixes are aligned with the input lines)");
        }
        if (references != null && input == null) {
            throw new CliException(ExitCodes.USAGE, "--ref needs --input");
        }
        if (references != null && ids) {
            throw new CliException(ExitCodes.USAGE, "--ref cannot be used with --ids (BLEU and chrF compare text)");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (ids) {
            String where = input == null ? "standard input" : input.toString();
            String prefixWhere = prefix == null ? null : prefix.toString();
            try (IdTranslator translator = translators.get().openIds(models, batchSize, maxSourceLength)) {
                translate((lines, prefixes, first) -> TokenIdLines.translate(translator, lines, prefixes, options, where,
                        prefixWhere, first), options, err);
            }
        } else {
            try (Translator translator = translators.get().open(models, batchSize, maxSourceLength)) {
                translate((lines, prefixes, first) -> translator.translate(lines, prefixes, options), options, err);
            }
        }
    }

    private void translate(LineTranslator translator, DecodingOptions options, PrintWriter err) {
        if (input != null) {
            translateFile(translator, options, err);
        } else {
            translateStream(translator, options, err);
        }
    }

    private void translateFile(LineTranslator translator, DecodingOptions options, PrintWriter err) {
        List<String> sources = TextLines.read(input);
        List<String> prefixes = prefix == null ? null : TextLines.read(prefix);
        if (prefixes != null && prefixes.size() != sources.size()) {
            throw new DataException(prefix + " has " + prefixes.size() + " lines but " + input + " has " + sources.size());
        }
        List<List<String>> refs = references == null ? List.of() : References.read(references, sources.size(), input);
        List<Translation> translations = translator.translate(sources, prefixes, 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < translations.size(); i++) {
            format(i, translations.get(i), options.nbest(), text);
            warn(translations.get(i), err);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            try {
                AtomicFiles.writeString(output, text.toString());
            } catch (IOException e) {
                throw new DataException("cannot write " + output + ": " + e.getMessage(), e);
            }
        }
        if (!refs.isEmpty()) {
            List<String> best = translations.stream().map(Translation::best).toList();
            PrintWriter report = output == null ? err : out;
            report.println(Bleu.corpus(best, refs));
            report.println(ChrF.corpus(best, refs));
            report.flush();
        }
    }

    /**
     * Reads standard input line by line; the lines already waiting are translated as one batch (up to the batch
     * size), so a pipe from a file still gets batches while an interactive user gets each answer at once. With
     * {@code --output} the file is written atomically at the end instead.
     */
    private void translateStream(LineTranslator translator, DecodingOptions options, PrintWriter err) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, decoder));
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder file = new StringBuilder();
        int index = 0;
        try {
            while (true) {
                List<String> batch = new ArrayList<>();
                String line;
                try {
                    line = in.readLine();
                    if (line == null) {
                        break;
                    }
                    batch.add(line);
                    while (batch.size() < batchSize && in.ready() && (line = in.readLine()) != null) {
                        batch.add(line);
                    }
                } catch (CharacterCodingException e) {
                    throw new DataException("standard input line " + (index + batch.size() + 1)
                            + ": invalid UTF-8 (the input must be UTF-8 text)");
                }
                StringBuilder text = output == null ? new StringBuilder() : file;
                for (Translation t : translator.translate(batch, null, index + 1)) {
                    format(index++, t, options.nbest(), text);
                    warn(t, err);
                }
                if (output == null) {
                    out.print(text);
                    out.flush();
                }
            }
            if (output != null) {
                AtomicFiles.writeString(output, file.toString());
            }
        } catch (IOException e) {
            throw new DataException("I/O error while translating: " + e.getMessage(), e);
        }
    }

    private static void format(int index, Translation t, int nbest, StringBuilder out) {
        if (nbest == 1) {
            out.append(t.bestOnOneLine()).append('\n'); // one line per input line, whatever the model emits
            return;
        }
        if (t.hypotheses().isEmpty()) {
            out.append(index).append("\t1\t\t\n");
            return;
        }
        int rank = 1;
        for (Hypothesis h : t.hypotheses()) {
            out.append(index).append('\t').append(rank++).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f", h.score())).append('\t').append(h.textOnOneLine()).append('\n');
        }
    }

    private static void warn(Translation t, PrintWriter err) {
        if (t.warning() != null) {
            err.println("t4j: warning: " + t.warning());
            err.flush();
        }
    }
}
