package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.decoding.eval.Bleu;
import org.transformer4j.decoding.eval.ChrF;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.Trainer;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.BundledCorpus;
import org.transformer4j.training.data.Examples;
import org.transformer4j.training.data.ParallelText;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j quickstart}: the whole job on the bundled Spanish→English corpus: learn a joint vocabulary, train
 * a {@code small} model for a few minutes on the selected backend, then translate a few dev sentences next to
 * their references. Running it again continues training the same model.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a small Spanish→English model on the bundled Bible corpus for a few minutes, then translate"
                + " a few held-out dev sentences next to their references.",
                "Run it again to continue training the same model for another slot of time."})
public final class QuickstartCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Trainer> trainer;

    @Inject
    Provider<Translators> translators;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "5",
            description = "Training time of this run, in minutes (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/quickstart",
            description = "Model directory to create or continue (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "5",
            description = "Dev sentences to translate at the end (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0)) {
            throw new org.transformer4j.cli.errors.CliException(org.transformer4j.cli.errors.ExitCodes.USAGE,
                    "--minutes must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("transformer4j quickstart: Spanish→English on the bundled Bible corpus (Reina-Valera 1909 → World"
                + " English Bible), a small Transformer, " + minutes + " minutes of training");
        ParallelText train = BundledCorpus.train();
        ParallelText dev = BundledCorpus.dev();
        Files.createDirectories(model);
        QuickstartRecipe recipe = QuickstartRecipe.forMinutes(minutes);
        out.println("recipe, as t4j train options: " + recipe.trainOptions(minutes));
        Vocabularies vocab = TrainingSetup.vocabulary(model, train, recipe.vocabSize(), false, out);
        TransformerConfig config = Files.exists(model.resolve(ModelStore.CONFIG_FILE))
                ? TrainingSetup.config(model, null, vocab, out)
                : recipe.config(vocab.source().size());
        TrainingOptions options = recipe.options(minutes, seed);
        Examples trainExamples = TrainingSetup.encode("train", train, vocab, options.maxLength(), out);
        Examples devExamples = TrainingSetup.encode("dev", dev, vocab, options.maxLength(), out);
        // Dev BLEU decodes the whole dev set: every 1000 updates and at the end, not at every validation, so that a
        // run of minutes spends its time training.
        var augmentation = TrainingSetup.nameSwap(train, trainExamples, vocab, options.maxLength(), recipe.nameSwap(), out);
        TrainCommand.run(trainer.get(), TrainingSetup.job(model, config, trainExamples, devExamples, options,
                TrainingSetup.devBleu(dev, vocab, 1000), augmentation), out, 50);

        out.println();
        DecodingOptions decoding = recipe.decoding();
        try (Translator translator = translators.get().open(model)) {
            // The whole dev set, so that the run ends with the figures the budget table compares; then a few of them.
            List<String> outputs = translator.translate(dev.source(), decoding).stream()
                    .map(org.transformer4j.decoding.Translation::best).toList();
            out.printf(Locale.ROOT, "dev BLEU %.2f, chrF2 %.2f (the %d dev verses: Esther and 2 Thessalonians, never seen in"
                    + " training; %s)%n", Bleu.corpus(outputs, List.of(dev.target())).score(),
                    ChrF.corpus(outputs, List.of(dev.target())).score(), dev.size(), recipe.decodingDescription());
            int n = Math.min(sentences, dev.size());
            out.printf("the first %d of them:%n", n);
            for (int i = 0; i < n; i++) {
                out.printf(Locale.ROOT, "%n  es:  %s%n  ref: %s%n  t4j: %s%n", dev.source().get(i), dev.target().get(i),
                        outputs.get(i));
            }
            out.println();
            QuickstartBudgets.bundled().print(out, minutes);
            out.println();
            writePages(translator, dev.source().getFirst(), decoding, out);
        }
        out.printf("%nThe model is in %s: run quickstart again to train it further.%n", model);
        out.flush();
        return 0;
    }

    /**
     * Ends with a look inside: the page of t4j illustrate for the first dev sentence and that of t4j report for the
     * run. Training has succeeded by then, so a page that cannot be written is a warning, not a failure.
     */
    private void writePages(Translator translator, String sentence, DecodingOptions decoding, PrintWriter out) {
        PrintWriter err = spec.commandLine().getErr();
        Path illustrate = model.resolve("illustrate.html");
        Path report = model.resolve("report.html");
        try {
            IllustrateCommand.writePage(translator, model, sentence, decoding.withBeam(4, 4), illustrate);
            out.printf("look inside the model (the first dev sentence, every attention head, the beam search):%n  %s%n",
                    illustrate.toAbsolutePath());
        } catch (RuntimeException e) {
            err.println("t4j: warning: could not write " + illustrate + ": " + e.getMessage());
        }
        try {
            ReportCommand.write(List.of(model), report, err);
            out.printf("the training run (loss, perplexity, BLEU, learning rate... against steps and time):%n  %s%n",
                    report.toAbsolutePath());
        } catch (RuntimeException e) {
            err.println("t4j: warning: could not write " + report + ": " + e.getMessage());
        }
        err.flush();
    }
}
