package org.transformer4j.cli.commands;

import java.time.Duration;
import java.util.Locale;

import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.TransformerConfig.Norm;
import org.transformer4j.model.TransformerConfig.TieEmbeddings;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.training.TrainingOptions.Schedule;

/**
 * How {@code t4j quickstart} trains for a budget of minutes: a set of {@code t4j train} options, chosen by running
 * recipes side by side at fixed budgets on the bundled corpus and keeping what gave the best dev BLEU and chrF
 * (docs/training.md, "Recipes for a budget", has the runs). {@link #trainOptions} prints it as the
 * {@code t4j train} options that do the same on any corpus.
 *
 * @param preset         model size ({@code small}: d_model 256, 4 heads, 3+3 layers)
 * @param vocabSize      joint byte-pair vocabulary size
 * @param batchTokens    tokens per batch: small batches, many updates
 * @param dropout        dropout of a new model
 * @param labelSmoothing label smoothing ε
 * @param schedule       learning-rate schedule
 * @param lr             its peak rate
 * @param warmup         warm-up updates
 * @param cooldown       the final share of the budget in which the rate decays to zero
 * @param ema            weight-average decay, 0 for none
 */
record QuickstartRecipe(String preset, int vocabSize, int batchTokens, float dropout, float labelSmoothing,
        Schedule schedule, double lr, int warmup, double cooldown, double ema) {

    /** The measured recipe for a run of {@code minutes}. */
    static QuickstartRecipe forMinutes(double minutes) {
        return new QuickstartRecipe("small", 4000, 1024, 0.1f, 0.1f, Schedule.LINEAR, 2e-3, 200, 1, 0);
    }

    /** A new model: pre-norm (it starts learning sooner than post-norm, which counts in minutes), tied embeddings. */
    TransformerConfig config(int vocabularySize) {
        return TransformerConfig.builder(preset).srcVocabSize(vocabularySize).tgtVocabSize(vocabularySize)
                .tieEmbeddings(TieEmbeddings.ALL).norm(Norm.PRE).dropout(dropout).build();
    }

    /** Training options for {@code minutes} of this run, validating every 200 updates. */
    TrainingOptions options(double minutes, long seed) {
        return new TrainingOptions(batchTokens, 1, labelSmoothing, 1.0, warmup, 0.9f, 0.98f, 1e-9f, 1f, 0,
                Duration.ofMillis(Math.round(minutes * 60_000)), 0, seed, 200, 200, 2, 0, 128, schedule, lr, cooldown, ema);
    }

    /** The same recipe as {@code t4j train} options. */
    String trainOptions(double minutes) {
        return String.format(Locale.ROOT, "--preset %s --norm pre --tie-embeddings all --dropout %s --vocab-size %d"
                + " --batch-tokens %d --label-smoothing %s --schedule %s --lr %s --warmup %d --cooldown %s%s --clip-norm 1"
                + " --max-len 128 --max-time %s", preset, dropout, vocabSize, batchTokens, labelSmoothing,
                schedule.name().toLowerCase(Locale.ROOT), lr, warmup, cooldown, ema > 0 ? " --ema " + ema : "",
                minutesText(minutes));
    }

    static String minutesText(double minutes) {
        return minutes == Math.rint(minutes) ? (long) minutes + "m" : Math.round(minutes * 60) + "s";
    }
}
