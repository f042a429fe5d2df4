package org.transformer4j.cli.options;

import java.time.Duration;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.training.TrainingOptions;

import picocli.CommandLine.Option;

/** Every training option, with the paper's values as defaults where the paper gives one. */
public final class TrainingOptionsMixin {

    @Option(names = "--batch-tokens", paramLabel = "N", defaultValue = "4096",
            description = "Tokens per batch, padding included (sentences × longest side) (default: ${DEFAULT-VALUE}).")
    int batchTokens;

    @Option(names = "--accumulate", paramLabel = "K", defaultValue = "1",
            description = "Batches whose gradients are summed before one update (default: ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0.1",
            description = "Label smoothing ε (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--schedule", paramLabel = "noam|linear|cosine", defaultValue = "noam",
            description = "Learning-rate schedule: noam is the paper's (warm-up, then 1/sqrt(step), scaled by --lr-factor);"
                    + " linear and cosine warm up to --lr and decay to zero exactly when --max-steps, --max-time or"
                    + " --epochs runs out (a --max-time run is one cycle of its own) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3",
            description = "Peak learning rate of the linear and cosine schedules (default: ${DEFAULT-VALUE}).")
    double peakLr;

    @Option(names = "--cooldown", paramLabel = "SHARE", defaultValue = "1",
            description = "linear and cosine: the final share of the budget in which the rate decays to zero; 1 decays"
                    + " from the end of warm-up, 0.2 holds --lr and decays in the last fifth (warmup-stable-decay)"
                    + " (default: ${DEFAULT-VALUE}).")
    double cooldown;

    @Option(names = "--lr-factor", paramLabel = "F", defaultValue = "1.0",
            description = "noam schedule: lr = F · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5) (default: ${DEFAULT-VALUE}).")
    double lrFactor;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "4000",
            description = "Warm-up steps of the learning-rate schedule (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0",
            description = "Keep an exponential moving average of the weights with this decay (e.g. 0.999) and validate,"
                    + " report dev BLEU and save the model with it; checkpoints keep it; 0 = off (default: ${DEFAULT-VALUE}).")
    double ema;

    @Option(names = "--adam-beta1", paramLabel = "B", defaultValue = "0.9", description = "Adam β1 (default: ${DEFAULT-VALUE}).")
    float beta1;

    @Option(names = "--adam-beta2", paramLabel = "B", defaultValue = "0.98", description = "Adam β2 (default: ${DEFAULT-VALUE}).")
    float beta2;

    @Option(names = "--adam-eps", paramLabel = "E", defaultValue = "1e-9", description = "Adam ε (default: ${DEFAULT-VALUE}).")
    float epsilon;

    @Option(names = "--clip-norm", paramLabel = "N", defaultValue = "0",
            description = "Clip the global gradient norm to N; 0 = no clipping (default: ${DEFAULT-VALUE}).")
    float clipNorm;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0",
            description = "Stop after N updates in total; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--max-time", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this much training in this run: 90s, 30m, 2h, 1h30m (default: no limit).")
    Duration maxTime;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "0",
            description = "Stop after E passes over the data in total; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of batching, dropout and initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--valid-every", paramLabel = "N", defaultValue = "500",
            description = "Validate every N updates and at the end; 0 = never (default: ${DEFAULT-VALUE}).")
    int validEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
            description = "Checkpoint every N updates and at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "K", defaultValue = "5",
            description = "Keep the last K checkpoints, plus the best (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after N validations without improvement; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--max-len", paramLabel = "N", defaultValue = "256",
            description = "Skip pairs with a side longer than N subword tokens (default: ${DEFAULT-VALUE}).")
    int maxLength;

    /** The options as the trainer takes them; an inconsistent value is a usage error (exit code 2). */
    public TrainingOptions toOptions() {
        try {
            return new TrainingOptions(batchTokens, accumulate, labelSmoothing, lrFactor, warmup, beta1, beta2, epsilon,
                    clipNorm, maxSteps, maxTime, epochs, seed, validEvery, checkpointEvery, keepCheckpoints, patience,
                    maxLength, TrainingOptions.Schedule.of(schedule), peakLr, cooldown, ema);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
