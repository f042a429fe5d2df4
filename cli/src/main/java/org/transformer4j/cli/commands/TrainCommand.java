package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.options.ModelOptions;
import org.transformer4j.cli.options.TrainingOptionsMixin;
import org.transformer4j.cli.progress.Interrupts;
import org.transformer4j.cli.progress.TrainingProgress;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.training.Trainer;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.training.TrainingResult;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.Examples;
import org.transformer4j.training.data.ParallelText;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j train}: trains a translation model on two aligned text files, creating or continuing a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a translation model on aligned source/target text (UTF-8, one sentence per line), creating"
                + " the model directory or continuing it from its latest checkpoint.",
                "A byte-pair vocabulary is learned from the training text when the directory has none. Ctrl-C writes a"
                        + " checkpoint and stops; run the same command again to resume."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:training finished", "1:bad data or files", "2:bad options", "130:interrupted (a checkpoint was written)"})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<Trainer> trainer;

    @Option(names = "--src", paramLabel = "FILE", required = true, description = "Training source text.")
    Path src;

    @Option(names = "--tgt", paramLabel = "FILE", required = true, description = "Training target text, aligned with --src.")
    Path tgt;

    @Option(names = "--valid-src", paramLabel = "FILE", description = "Validation source text (with --valid-tgt).")
    Path validSrc;

    @Option(names = "--valid-tgt", paramLabel = "FILE", description = "Validation target text.")
    Path validTgt;

    @Option(names = "--bleu-every", paramLabel = "N", defaultValue = "2000",
            description = "Also translate the validation sources (greedy) and report dev BLEU at validations whose step"
                    + " is a multiple of N, and at the end; 0 = never (default: ${DEFAULT-VALUE}).")
    int bleuEvery;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The model directory to create or continue.")
    Path model;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "8000",
            description = "Size of the byte-pair vocabulary learned when the directory has none (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--separate-vocab", description = "Learn one vocabulary per language instead of a joint one.")
    boolean separateVocab;

    @Option(names = "--name-swap", paramLabel = "SHARE", defaultValue = "0",
            description = "Teach copying names: each epoch, in this share of the pairs that carry a name over unchanged,"
                    + " swap that name on both sides for a made-up one (docs/training.md); 0 = off (default: ${DEFAULT-VALUE}).")
    double nameSwap;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "100",
            description = "Without a terminal, print a progress line every N updates (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    TrainingOptionsMixin trainingOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingOptions options = trainingOptions.toOptions();
        if (nameSwap < 0 || nameSwap > 1) {
            throw new CliException(ExitCodes.USAGE, "--name-swap must be between 0 and 1, got " + nameSwap);
        }
        if ((validSrc == null) != (validTgt == null)) {
            throw new IllegalArgumentException("give both --valid-src and --valid-tgt, or neither");
        }
        ParallelText train = ParallelText.read(src, tgt);
        ParallelText valid = validSrc == null ? null : ParallelText.read(validSrc, validTgt);
        Files.createDirectories(model);
        Vocabularies vocab = TrainingSetup.vocabulary(model, train, vocabSize, separateVocab, out);
        TransformerConfig config = TrainingSetup.config(model, modelOptions, vocab, out);
        Examples trainExamples = TrainingSetup.encode("train", train, vocab, options.maxLength(), out);
        Examples validExamples = valid == null ? null : TrainingSetup.encode("valid", valid, vocab, options.maxLength(), out);
        var augmentation = TrainingSetup.nameSwap(train, trainExamples, vocab, options.maxLength(), nameSwap, out);
        TrainingResult result = run(trainer.get(), TrainingSetup.job(model, config, trainExamples, validExamples, options,
                TrainingSetup.devBleu(valid, vocab, bleuEvery), augmentation), out, logEvery);
        return result.reason() == TrainingResult.StopReason.INTERRUPTED ? 130 : ExitCodes.OK;
    }

    /** Runs the loop with progress display and Ctrl-C handling; prints how it ended. Shared with quickstart. */
    static TrainingResult run(Trainer trainer, org.transformer4j.training.TrainingJob job, PrintWriter out, int logEvery) {
        AtomicBoolean stop = new AtomicBoolean();
        TrainingResult result;
        try (Interrupts interrupts = Interrupts.onCtrlC(() -> {
                    stop.set(true);
                    out.println();
                    out.println("stopping after this step and writing a checkpoint (Ctrl-C again to quit at once)");
                    out.flush();
                });
                TrainingProgress progress = new TrainingProgress(out, TrainingProgress.interactiveTerminal(), logEvery)) {
            result = trainer.train(job, progress, stop::get);
        }
        out.printf(Locale.ROOT, "stopped: %s after %d steps (epoch %d) in %s%s; model in %s%n", result.reason().description(),
                result.steps(), result.epochs() + 1, TrainingProgress.format(result.elapsed()),
                Double.isNaN(result.bestValidLoss()) ? ""
                        : String.format(Locale.ROOT, "; best validation loss %.3f at step %d", result.bestValidLoss(), result.bestStep()),
                job.modelDirectory());
        out.flush();
        return result;
    }
}
