package org.transformer4j.cli.progress;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.transformer4j.training.TrainingListener;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a training run: on a terminal, one live line (progress bar, step, epoch, loss, tokens/s, learning
 * rate, elapsed and ETA, drawn by the progressbar library); elsewhere (a pipe, a log file, CI), plain log
 * lines every {@code logEvery} updates. Validations and checkpoints are always logged on a line of their own.
 */
public final class TrainingProgress implements TrainingListener, AutoCloseable {

    private final PrintWriter out;
    private final PrintStream terminal;
    private final int logEvery;
    private ProgressBar bar;
    private RunInfo info;
    private String lastValidation = "";

    /**
     * @param terminal the console to draw the live line on, or null to write plain lines to {@code out}
     */
    public TrainingProgress(PrintWriter out, PrintStream terminal, int logEvery) {
        this.out = out;
        this.terminal = terminal;
        this.logEvery = Math.max(1, logEvery);
    }

    /** The console's stream when standard output is an interactive terminal, else null. */
    public static PrintStream interactiveTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() && System.getenv("CI") == null ? System.out : null;
    }

    @Override
    public void started(RunInfo run) {
        this.info = run;
        out.printf(Locale.ROOT, "training %,d parameters: %s%n", run.parameters(), limits(run));
        out.flush();
        if (terminal != null) {
            // A step total when the run has one; a time-bounded run shows an indefinite bar with elapsed time.
            long max = run.maxSteps() > 0 ? run.maxSteps()
                    : run.epochs() > 0 ? (long) run.epochs() * run.batchesPerEpoch() / run.accumulate() : -1;
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(max).startsFrom(run.startStep(), Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setUnit(" steps", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }
    }

    private static String limits(RunInfo run) {
        StringBuilder s = new StringBuilder();
        if (run.maxSteps() > 0) {
            s.append("until step ").append(run.maxSteps());
        }
        if (run.maxTime() != null) {
            s.append(s.isEmpty() ? "" : " or ").append("for ").append(format(run.maxTime()));
        }
        if (run.epochs() > 0) {
            s.append(s.isEmpty() ? "" : " or ").append("until epoch ").append(run.epochs());
        }
        return s + String.format(Locale.ROOT, ", %,d batches per epoch, starting at step %d", run.batchesPerEpoch(),
                run.startStep());
    }

    @Override
    public void stepped(StepStats s) {
        String line = String.format(Locale.ROOT, "epoch %d  loss %.3f  ppl %.1f  acc %.3f  lr %.2e  %,.0f tok/s%s",
                s.epoch(), s.loss(), s.perplexity(), s.accuracy(), s.learningRate(), s.tokensPerSec(), lastValidation);
        if (bar != null) {
            bar.stepTo(s.step());
            bar.setExtraMessage(line);
        } else if (s.step() % logEvery == 0 || s.step() == 1) {
            out.printf(Locale.ROOT, "step %d  %s  elapsed %s%s%n", s.step(), line, format(s.elapsed()), eta(s));
            out.flush();
        }
    }

    private String eta(StepStats s) {
        if (info == null) {
            return "";
        }
        double done = s.step() - info.startStep();
        double fraction = 0;
        if (info.maxSteps() > 0) {
            fraction = done / (info.maxSteps() - info.startStep());
        }
        if (info.maxTime() != null) {
            fraction = Math.max(fraction, s.elapsed().toMillis() / (double) info.maxTime().toMillis());
        }
        if (fraction <= 0 || fraction > 1) {
            return "";
        }
        return "  eta " + format(Duration.ofMillis((long) (s.elapsed().toMillis() * (1 - fraction) / fraction)));
    }

    @Override
    public void validated(ValidationStats v) {
        String bleu = Double.isNaN(v.bleu()) ? "" : String.format(Locale.ROOT, "  BLEU %.2f", v.bleu());
        lastValidation = String.format(Locale.ROOT, "  valid %.3f", v.loss()) + bleu;
        line(String.format(Locale.ROOT, "validation at step %d: loss %.3f  ppl %.2f  acc %.3f  (%,d tokens)%s%s", v.step(),
                v.loss(), v.perplexity(), v.accuracy(), v.targetTokens(), bleu.isEmpty() ? "" : bleu + " (greedy)",
                v.best() ? "  best so far" : ""));
    }

    @Override
    public void checkpointed(long step, Path directory) {
        line("checkpoint at step " + step + ": " + directory);
    }

    @Override
    public void note(String message) {
        line(message);
    }

    private void line(String text) {
        if (bar != null) {
            // Keep the live line intact: finish it, print, and let the next step redraw it.
            terminal.print("\r\033[2K");
            terminal.println(text);
            terminal.flush();
        } else {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
