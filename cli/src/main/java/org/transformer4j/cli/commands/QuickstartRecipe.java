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
 * @param lr             {@code --lr-factor} of the {@code noam} schedule, {@code --lr} (the peak) of the others
 * @param warmup         warm-up updates
 * @param cooldown       the final share of the budget in which the rate decays to zero
 * @param ema            weight-average decay, 0 for none (quickstart averages at no budget: at 800 and
 *                       12,343 updates the average was no better than the raw weights, docs/training.md)
 * @param nameSwap       {@code --name-swap}: the share of name-carrying pairs whose name is swapped each epoch, 0 for none
 * @param noRepeatNgram  decoding: {@code --no-repeat-ngram}, 0 for none
 * @param coverage       decoding: {@code --coverage-penalty}, 0 for none
 */
record QuickstartRecipe(String preset, int vocabSize, int batchTokens, float dropout, float labelSmoothing,
        Schedule schedule, double lr, int warmup, double cooldown, double ema, double nameSwap, int noRepeatNgram,
        double coverage) {

    /**
     * Budgets up to this many minutes train without dropout: on the development machine they make at most about six
     * passes over the corpus, and dropout 0 beat 0.1 at 800 and 2400 updates (docs/training.md) and over 30 minutes
     * (18.87 against 16.75 dev BLEU, docs/quickstart.md). Longer runs keep the paper's 0.1: over 60 minutes a run
     * without dropout stopped improving its validation loss after about 8,400 updates and ended 2.2 BLEU behind; at
     * about 40 minutes (8,000 updates) the two runs' validation losses were level.
     */
    static final double NO_DROPOUT_UP_TO_MINUTES = 30;

    /**
     * The share of {@code --name-swap} in budgets over {@link #NO_DROPOUT_UP_TO_MINUTES}, the runs of many passes over
     * the corpus. Over 60 minutes, swapping carried-over names carried a third more names over (exact + recognisable,
     * 96 against 73 of 233 on average over seven checkpoints of each run) at a dev BLEU within the spread of the
     * checkpoints (20.64 against 21.07 on average) and the same chrF (45.02 against 44.98); swapping translated names
     * too carried 127 against 107 over (counting names kept as the Spanish spells them) at 0.48 less BLEU and 0.17
     * more chrF. At 15 minutes it cost a point of BLEU, so short runs leave it off (docs/training.md, "Name swap").
     */
    static final double NAME_SWAP_OF_LONG_RUNS = 0.5;

    /** The measured recipe for a run of {@code minutes}. */
    static QuickstartRecipe forMinutes(double minutes) {
        boolean longRun = minutes > NO_DROPOUT_UP_TO_MINUTES;
        return new QuickstartRecipe("small", 4000, 1024, longRun ? 0.1f : 0f, 0.1f, Schedule.NOAM, 0.25, 200, 1, 0,
                longRun ? NAME_SWAP_OF_LONG_RUNS : 0, 3, 0.2);
    }

    /** A new model: pre-norm (it starts learning sooner than post-norm, which counts in minutes), tied embeddings. */
    TransformerConfig config(int vocabularySize) {
        return TransformerConfig.builder(preset).srcVocabSize(vocabularySize).tgtVocabSize(vocabularySize)
                .tieEmbeddings(TieEmbeddings.ALL).norm(Norm.PRE).dropout(dropout).build();
    }

    /** Training options for {@code minutes} of this run, validating every 200 updates. */
    TrainingOptions options(double minutes, long seed) {
        boolean noam = schedule == Schedule.NOAM;
        return new TrainingOptions(batchTokens, 1, labelSmoothing, noam ? lr : 1.0, warmup, 0.9f, 0.98f, 1e-9f, 1f, 0,
                Duration.ofMillis(Math.round(minutes * 60_000)), 0, seed, 200, 200, 2, 0, 128, schedule, noam ? 1e-3 : lr,
                cooldown, ema);
    }

    /** How quickstart translates: the default beam search, with the options against loops the dev set supports. */
    org.transformer4j.decoding.search.DecodingOptions decoding() {
        return org.transformer4j.decoding.search.DecodingOptions.defaults().withPenalties(noRepeatNgram, 1, coverage);
    }

    /** {@link #decoding()} in words, with its {@code t4j translate} options. */
    String decodingDescription() {
        return "beam 4, length penalty 0.6" + (noRepeatNgram > 0 ? ", --no-repeat-ngram " + noRepeatNgram : "")
                + (coverage > 0 ? ", --coverage-penalty " + coverage : "");
    }

    /** The same recipe as {@code t4j train} options. */
    String trainOptions(double minutes) {
        String rate = schedule == Schedule.NOAM ? "--lr-factor " + lr + " --warmup " + warmup
                : "--lr " + lr + " --warmup " + warmup + (cooldown < 1 ? " --cooldown " + cooldown : "");
        return String.format(Locale.ROOT, "--preset %s --norm pre --tie-embeddings all --dropout %s --vocab-size %d"
                + " --batch-tokens %d --label-smoothing %s --schedule %s %s%s --clip-norm 1 --max-len 128 --max-time %s"
                + " --valid-every 200 --checkpoint-every 200 --keep-checkpoints 2%s",
                preset, dropout, vocabSize, batchTokens, labelSmoothing, schedule.name().toLowerCase(Locale.ROOT), rate,
                ema > 0 ? " --ema " + ema : "", minutesText(minutes), nameSwap > 0 ? " --name-swap " + nameSwap : "");
    }

    static String minutesText(double minutes) {
        return minutes == Math.rint(minutes) ? (long) minutes + "m" : Math.round(minutes * 60) + "s";
    }
}
