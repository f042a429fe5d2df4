package org.transformer4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.figures.BeamFigure;
import org.transformer4j.cli.figures.Figure;
import org.transformer4j.cli.figures.FigureFiles;
import org.transformer4j.cli.figures.HeatmapFigure;
import org.transformer4j.cli.figures.SoftmaxFigure;
import org.transformer4j.cli.options.PenaltyOptionsMixin;
import org.transformer4j.cli.pages.IllustratePage;
import org.transformer4j.cli.pages.IllustrationJson;
import org.transformer4j.decoding.AttentionWeights;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.decoding.illustrate.Illustration;
import org.transformer4j.decoding.illustrate.Illustrator;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.training.data.DataException;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j illustrate}: translates one sentence and draws what the model did, the figures of "The Illustrated
 * Transformer" for a real model: one self-contained HTML page, the data as JSON, or one figure as SVG or PNG.
 */
@Command(name = "illustrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Translate one sentence and draw what the model did, as \"The Illustrated Transformer\" does: the"
                + " subwords, position encodings and input vectors; every attention head of every layer (encoder"
                + " self-attention, decoder self-attention, encoder-decoder attention); the softmax at each output step;"
                + " the beam search as a tree.",
                "Writes one self-contained HTML page that opens from disk with no network (--format html), the same"
                        + " data as JSON (--format json), or one figure as SVG or PNG (--format svg|png --figure ...)."})
public final class IllustrateCommand implements Runnable {

    static final List<String> FORMATS = List.of("html", "json", "svg", "png");
    static final List<String> FIGURES = List.of("positions", "attention", "softmax", "beam");
    static final List<String> PARTS = List.of("encoder", "decoder", "cross");

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Translators> translators;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The model directory.")
    Path model;

    @Option(names = "--src", paramLabel = "TEXT", required = true, description = "The sentence to translate and draw.")
    String source;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "4",
            description = "Beam size; 1 is greedy decoding, with no search tree to draw (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--nbest", paramLabel = "N",
            description = "Finished hypotheses the search collects and the page lists, at most the beam size (default:"
                    + " the beam size).")
    Integer nbest;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", defaultValue = "0.6",
            description = "GNMT length penalty, as translate uses it (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--max-len-a", paramLabel = "A", defaultValue = "1.2",
            description = "The translation stops at A * source subwords + B (default: ${DEFAULT-VALUE}).")
    double maxLenA;

    @Option(names = "--max-len-b", paramLabel = "B", defaultValue = "10", description = "See --max-len-a (default: ${DEFAULT-VALUE}).")
    int maxLenB;

    @Mixin
    PenaltyOptionsMixin penalties;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + Illustrator.DEFAULT_TOP_K,
            description = "Most probable subwords shown for each output step (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--max-source-len", paramLabel = "N", defaultValue = "" + Illustrator.DEFAULT_MAX_SOURCE_TOKENS,
            description = "Longest sentence, in subwords: a page holds every attention weight, which grows with the square"
                    + " of the length (default: ${DEFAULT-VALUE}).")
    int maxSourceLength;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html",
            description = "html (the page), json (its data), svg or png (one figure, see --figure) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write (default: illustrate.html; JSON to standard output; a figure to"
                    + " illustrate-FIGURE.svg or .png).")
    Path out;

    @Option(names = "--figure", paramLabel = "NAME",
            description = "With --format svg or png: positions, attention, softmax or beam.")
    String figure;

    @Option(names = "--part", paramLabel = "PART", defaultValue = "encoder",
            description = "--figure attention: encoder (self-attention), decoder (self-attention) or cross"
                    + " (encoder-decoder) (default: ${DEFAULT-VALUE}).")
    String part;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "1",
            description = "--figure attention: the layer, from 1 (default: ${DEFAULT-VALUE}).")
    int layer;

    @Option(names = "--head", paramLabel = "H", defaultValue = "1",
            description = "--figure attention: the head, from 1 (default: ${DEFAULT-VALUE}).")
    int head;

    @Option(names = "--step", paramLabel = "T", defaultValue = "1",
            description = "--figure softmax: the output step, from 1 (default: ${DEFAULT-VALUE}).")
    int step;

    @Override
    public void run() {
        checkOptions();
        DecodingOptions options = options(beam, nbest == null ? beam : nbest, lengthPenalty, maxLenA, maxLenB, penalties);
        if (!Files.isDirectory(model)) {
            throw new CliException(ExitCodes.FAILURE, "model directory " + model + " not found");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (Translator translator = translators.get().open(List.of(model), 1, Translator.DEFAULT_MAX_SOURCE_TOKENS)) {
            Illustration il = new Illustrator(translator, maxSourceLength).illustrate(source, options, topK);
            switch (format) {
                case "html" -> {
                    Path target = out != null ? out : Path.of("illustrate.html");
                    write(target, IllustratePage.render(il, model, translator.models().getFirst().parameterCount()));
                    stdout.println(target);
                }
                case "json" -> {
                    String json = IllustrationJson.of(il, model, -1).toString();
                    if (out == null) {
                        stdout.println(json);
                    } else {
                        write(out, json + "\n");
                        stdout.println(out);
                    }
                }
                default -> {
                    Path target = out != null ? out : Path.of("illustrate-" + figure + "." + format);
                    try {
                        FigureFiles.write(figure(il), format, target);
                    } catch (IOException e) {
                        throw new DataException("cannot write " + target + ": " + e.getMessage(), e);
                    }
                    stdout.println(target);
                }
            }
            stdout.flush();
        }
    }

    /** The decoding options of illustrate's flags; a value that cannot work is a usage error. */
    static DecodingOptions options(int beam, int nbest, double lengthPenalty, double maxLenA, int maxLenB,
            PenaltyOptionsMixin penalties) {
        try {
            return penalties.applyTo(DecodingOptions.defaults().withBeam(beam, nbest).withLengthPenalty(lengthPenalty)
                    .withMaxLength(maxLenA, maxLenB));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    private void checkOptions() {
        if (!FORMATS.contains(format)) {
            throw new CliException(ExitCodes.USAGE, "unknown --format '" + format + "': one of " + String.join(", ", FORMATS));
        }
        boolean single = format.equals("svg") || format.equals("png");
        if (single && figure == null) {
            throw new CliException(ExitCodes.USAGE, "--format " + format + " draws one figure: name it with --figure ("
                    + String.join(", ", FIGURES) + ")");
        }
        if (!single && figure != null) {
            throw new CliException(ExitCodes.USAGE, "--figure needs --format svg or png (the page has every figure)");
        }
        if (figure != null && !FIGURES.contains(figure)) {
            throw new CliException(ExitCodes.USAGE, "unknown --figure '" + figure + "': one of " + String.join(", ", FIGURES));
        }
        if (!PARTS.contains(part)) {
            throw new CliException(ExitCodes.USAGE, "unknown --part '" + part + "': one of " + String.join(", ", PARTS));
        }
        if (topK < 1) {
            throw new CliException(ExitCodes.USAGE, "--top-k must be at least 1, not " + topK);
        }
        if (maxSourceLength < 1) {
            throw new CliException(ExitCodes.USAGE, "--max-source-len must be at least 1, not " + maxSourceLength);
        }
        if ("beam".equals(figure) && beam < 2) {
            throw new CliException(ExitCodes.USAGE, "--figure beam needs a beam search: --beam 2 or more");
        }
    }

    private Figure figure(Illustration il) {
        TransformerConfig c = il.config();
        AttentionWeights w = il.attention();
        return switch (figure) {
            case "positions" -> HeatmapFigure.positions(String.format(Locale.ROOT, "Positional encoding: %d positions × %d"
                    + " dimensions", il.sourceTokens().size(), c.dModel()), il.inputs().positions(), il.sourceTokens());
            case "attention" -> {
                int layers = part.equals("encoder") ? c.encoderLayers() : c.decoderLayers();
                check("--layer", layer, layers);
                check("--head", head, c.heads());
                float[][][][] weights = switch (part) {
                    case "encoder" -> w.encoderSelf();
                    case "decoder" -> w.decoderSelf();
                    default -> w.encoderDecoder();
                };
                String name = switch (part) {
                    case "encoder" -> "Encoder self-attention";
                    case "decoder" -> "Decoder self-attention";
                    default -> "Encoder-decoder attention";
                };
                List<String> queries = part.equals("encoder") ? il.sourceTokens() : w.decoderInputTokens();
                List<String> keys = part.equals("decoder") ? w.decoderInputTokens() : il.sourceTokens();
                yield HeatmapFigure.attention(name + ", layer " + layer + ", head " + head, weights[layer - 1][head - 1],
                        queries, keys);
            }
            case "softmax" -> {
                check("--step", step, il.steps().size());
                Illustration.OutputStep s = il.steps().get(step - 1);
                yield new SoftmaxFigure("Step " + step + ": the " + s.top().size() + " most probable next subwords ("
                        + s.chosen().token() + " chosen)", s);
            }
            default -> new BeamFigure("Beam search, beam " + il.options().beamSize() + ": \"" + il.translation() + "\"",
                    il.beam());
        };
    }

    private static void check(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw new CliException(ExitCodes.USAGE, option + " must be between 1 and " + max + " for this model and sentence,"
                    + " not " + value);
        }
    }

    private static void write(Path target, String text) {
        try {
            AtomicFiles.writeString(target, text);
        } catch (IOException e) {
            throw new DataException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the page of {@code sentence} through {@code translator}'s model (for quickstart); returns the page's
     * translation.
     */
    public static String writePage(Translator translator, Path modelDir, String sentence, DecodingOptions options,
            Path target) {
        Illustration il = new Illustrator(translator).illustrate(sentence, options, Illustrator.DEFAULT_TOP_K);
        write(target, IllustratePage.render(il, modelDir, translator.models().getFirst().parameterCount()));
        return il.translation();
    }
}
