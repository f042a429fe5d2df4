package org.transformer4j.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.transformer4j.api.Backend;
import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.training.TrainingListener.RunInfo;
import org.transformer4j.training.TrainingListener.StepStats;
import org.transformer4j.training.TrainingListener.ValidationStats;
import org.transformer4j.training.TrainingResult.StopReason;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.Batcher;
import org.transformer4j.training.optim.Adam;
import org.transformer4j.training.optim.LearningRateSchedule;

import jakarta.inject.Inject;

/**
 * The training loop (paper section 5): batches of about {@code batchTokens} tokens, label-smoothed
 * cross-entropy averaged over target tokens, Adam with the warm-up schedule, optional gradient accumulation
 * and clipping, validation, checkpoints that resume exactly, and early stopping. Optionally the learning rate
 * decays to zero at the end of the budget ({@link org.transformer4j.training.optim.BudgetSchedule}) and an
 * exponential moving average of the weights ({@link WeightAverage}) is what gets validated and saved.
 *
 * <p>Determinism: batch order comes from (seed, epoch), dropout masks from (seed, step, batch), and the
 * backends compute in a fixed order, so the same seed, data and backend give the same loss curve, and a run
 * of 2N steps ends with the same weights as N steps followed by a resumed N.
 */
public final class Trainer {

    private final Backend backend;
    private final ModelStore models;

    @Inject
    public Trainer(Backend backend, ModelStore models) {
        this.backend = backend;
        this.models = models;
    }

    /**
     * Trains until a limit, early stopping, or {@code stopRequested} (checked between updates; a checkpoint is
     * written before returning). Writes checkpoints, {@code metrics.jsonl} and the best model's
     * {@code config.json}/{@code model.safetensors} (by validation loss; the last one without validation)
     * into the model directory.
     */
    public TrainingResult train(TrainingJob job, TrainingListener listener, BooleanSupplier stopRequested) {
        TrainingOptions o = job.options();
        Path dir = job.modelDirectory();
        CheckpointStore checkpoints = new CheckpointStore(dir, models);
        Optional<Path> latest = checkpoints.latest();
        try (MetricsLog metrics = new MetricsLog(dir);
                Transformer model = openModel(job, latest, listener);
                Adam adam = new Adam(backend, new Adam.Settings(o.beta1(), o.beta2(), o.epsilon(), o.clipNorm()));
                WeightAverage average = o.ema() > 0 ? openAverage(model, latest, o.ema()) : null) {
            TrainingListener events = new Both(listener, metrics);
            TrainingState state = TrainingState.start(o.seed());
            if (latest.isPresent()) {
                state = CheckpointStore.readState(latest.get());
                long[] adamSteps = new long[1];
                adam.restore(CheckpointStore.readOptimizer(latest.get(), adamSteps), model.parameters(), adamSteps[0]);
                events.note("resuming from " + latest.get() + " (step " + state.step() + ", epoch " + (state.epoch() + 1) + ")");
            }
            return new Run(model, average, adam, checkpoints, job, events, stopRequested, state).loop();
        }
    }

    /** The checkpoint's weight average when it has one, else a new average starting from the weights. */
    private WeightAverage openAverage(Transformer model, Optional<Path> latest, double decay) {
        Optional<Path> saved = latest.flatMap(CheckpointStore::averageOf);
        return saved.isPresent() ? WeightAverage.resumed(models.load(saved.get()), decay)
                : WeightAverage.startingFrom(model, decay);
    }

    private Transformer openModel(TrainingJob job, Optional<Path> latest, TrainingListener listener) {
        if (latest.isPresent()) {
            return models.load(latest.get());
        }
        Path dir = job.modelDirectory();
        if (Files.exists(dir.resolve(ModelStore.CONFIG_FILE)) && Files.exists(dir.resolve(ModelStore.WEIGHTS_FILE))) {
            listener.note("starting from the model in " + dir);
            return models.load(dir);
        }
        return models.initialise(job.newModel(), job.options().seed());
    }

    /** One run of the loop, with its mutable position. */
    private final class Run {
        private final Transformer model;
        /** The weight average, or null; {@link #evaluated()} is the model that validation and saving see. */
        private final WeightAverage average;
        private final Adam adam;
        private final CheckpointStore checkpoints;
        private final TrainingJob job;
        private final TrainingOptions o;
        private final TrainingListener events;
        private final BooleanSupplier stopRequested;
        private final Batcher batcher;
        private final LearningRateSchedule schedule;
        /**
         * The update before this cycle of the schedule: a time budget belongs to one run, so each run with
         * {@code maxTime} is a cycle of its own (warm-up, then decay to zero when its time is up); otherwise the
         * whole training is one cycle, and a resumed run continues it.
         */
        private final long cycleStart;
        /** The budget's progress when this cycle's warm-up ended; NaN until then in this run. */
        private double warmupProgress = Double.NaN;
        private TrainingState state;
        private List<Batch> epochBatches;
        private int batchesEpoch = -1;
        private final long startNanos = System.nanoTime();

        Run(Transformer model, WeightAverage average, Adam adam, CheckpointStore checkpoints, TrainingJob job,
                TrainingListener events, BooleanSupplier stopRequested, TrainingState state) {
            this.model = model;
            this.average = average;
            this.adam = adam;
            this.checkpoints = checkpoints;
            this.job = job;
            this.o = job.options();
            this.events = events;
            this.stopRequested = stopRequested;
            this.state = state;
            this.batcher = new Batcher(job.train().list(), job.augmentation(), o.batchTokens(), model.config().padId(), model.config().bosId(),
                    model.config().eosId());
            this.schedule = o.learningRate(model.config().dModel());
            this.cycleStart = o.maxTime() != null ? state.step() : 0;
        }

        private Transformer evaluated() {
            return average != null ? average.model() : model;
        }

        /**
         * The budget's progress at the end of warm-up: measured when this run saw it end; otherwise (a run resumed
         * after warm-up, which is never a time-budgeted one: each of those is a cycle of its own) the share of the
         * steps or epochs that warm-up took.
         */
        private double warmupProgress(long step, double progress) {
            if (step - cycleStart == o.warmup()) {
                warmupProgress = progress;
            }
            if (!Double.isNaN(warmupProgress)) {
                return warmupProgress;
            }
            double p = 0;
            if (o.maxSteps() > cycleStart) {
                p = Math.max(p, (double) (o.warmup() - 1) / (o.maxSteps() - cycleStart));
            }
            if (o.epochs() > 0) {
                p = Math.max(p, (double) o.warmup() * o.accumulate() / batches().size() / o.epochs());
            }
            return Math.min(1, p);
        }

        /**
         * The share of the budget spent before update {@code step}: the largest of the step, time and epoch
         * fractions that have a limit, so that the schedule reaches zero with whichever limit comes first.
         */
        private double progress(long step) {
            double p = 0;
            if (o.maxSteps() > cycleStart) {
                p = Math.max(p, (double) (step - 1 - cycleStart) / (o.maxSteps() - cycleStart));
            }
            if (o.maxTime() != null) {
                p = Math.max(p, (double) elapsed().toNanos() / o.maxTime().toNanos());
            }
            if (o.epochs() > 0) {
                p = Math.max(p, (state.epoch() + (double) state.batchInEpoch() / batches().size()) / o.epochs());
            }
            return Math.min(1, p);
        }

        TrainingResult loop() {
            events.started(new RunInfo(state.step(), state.epoch(), o.maxSteps(), o.maxTime(), o.epochs(),
                    batches().size(), o.accumulate(), model.parameterCount()));
            StopReason reason;
            while (true) {
                reason = limitReached();
                if (reason != null) {
                    break;
                }
                step();
                boolean validated = false;
                if (o.validEvery() > 0 && state.step() % o.validEvery() == 0) {
                    validate();
                    validated = true;
                }
                if (state.step() % o.checkpointEvery() == 0) {
                    checkpoint();
                }
                if (validated && o.patience() > 0 && state.badValidations() >= o.patience()) {
                    reason = StopReason.EARLY_STOPPING;
                    break;
                }
                if (stopRequested.getAsBoolean()) {
                    reason = StopReason.INTERRUPTED;
                    break;
                }
            }
            finish(reason);
            return new TrainingResult(reason, state.step(), state.epoch(), state.bestValidLoss(), state.bestStep(), elapsed());
        }

        private StopReason limitReached() {
            if (o.maxSteps() > 0 && state.step() >= o.maxSteps()) {
                return StopReason.MAX_STEPS;
            }
            if (o.epochs() > 0 && state.epoch() >= o.epochs()) {
                return StopReason.EPOCHS;
            }
            if (o.maxTime() != null && elapsed().compareTo(o.maxTime()) >= 0) {
                return StopReason.MAX_TIME;
            }
            if (stopRequested.getAsBoolean()) {
                return StopReason.INTERRUPTED;
            }
            return null;
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        private List<Batch> batches() {
            if (batchesEpoch != state.epoch()) {
                epochBatches = batcher.epoch(state.seed(), state.epoch());
                batchesEpoch = state.epoch();
            }
            return epochBatches;
        }

        /** Takes the next batch, moving to the next epoch at the end of one. */
        private Batch nextBatch() {
            if (state.batchInEpoch() >= batches().size()) {
                state = state.at(state.epoch() + 1, 0);
            }
            Batch b = batches().get(state.batchInEpoch());
            state = state.at(state.epoch(), state.batchInEpoch() + 1);
            return b;
        }

        /** One update: forward and backward over {@code accumulate} batches, then Adam. */
        private void step() {
            long t0 = System.nanoTime();
            List<Batch> group = new ArrayList<>(o.accumulate());
            int epochAtStart = state.epoch();
            for (int k = 0; k < o.accumulate(); k++) {
                group.add(nextBatch());
            }
            int tokens = group.stream().mapToInt(Batch::targetTokens).sum();
            long step = state.step() + 1;
            Validation.Totals totals = new Validation.Totals(0, 0, 0, 0);
            for (int k = 0; k < group.size(); k++) {
                Batch b = group.get(k);
                try (TensorScope scope = TensorScope.open()) {
                    Transformer.Forward f = model.forward(b.source(), b.targetInput(),
                            ForwardContext.training(mix(state.seed(), step, k)));
                    int[] predicted = backend.argmax(f.logits());
                    // The gradient of the mean loss over every target token of the update, written over the logits.
                    CrossEntropyOutput ce = backend.crossEntropyGradientInPlace(f.logits(), b.labels(), o.labelSmoothing(),
                            model.config().padId(), 1f / tokens);
                    totals = totals.plus(Validation.totals(backend, ce, predicted, b.labels(), model.config().padId()));
                    model.backward(f, ce.grad());
                }
            }
            double progress = progress(step);
            double lr = schedule.rate(step, step - cycleStart, progress, warmupProgress(step, progress));
            Adam.Update update = adam.step(model.parameters().values(), lr, 1f);
            model.zeroGradients();
            if (average != null) {
                average.update(model, step);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            state = state.afterStep(step, Math.round(seconds * 1000));
            events.stepped(new StepStats(step, epochAtStart + 1, totals.lossPerToken(), totals.perplexity(),
                    totals.accuracy(), lr, update.gradientNorm(), tokens, tokens / seconds, elapsed()));
        }

        /** Whether this run validates; without validation, the latest model is the model. */
        private boolean validates() {
            return !job.validation().isEmpty() && o.validEvery() > 0;
        }

        private void validate() {
            validate(false);
        }

        /** Validation loss; dev BLEU too at its interval and at the end of the run ({@code last}). */
        private void validate(boolean last) {
            if (!validates()) {
                return;
            }
            Validation.Totals v = Validation.evaluate(evaluated(), job.validation(), o.labelSmoothing());
            boolean best = state.improvesOn(v.lossPerToken());
            state = state.afterValidation(v.lossPerToken());
            if (best) {
                models.save(evaluated(), job.modelDirectory());
            }
            DevBleu devBleu = job.devBleu();
            double bleu = devBleu != null && (last || state.step() % devBleu.every() == 0) ? devBleu.evaluate(evaluated())
                    : Double.NaN;
            events.validated(new ValidationStats(state.step(), v.lossPerToken(), v.perplexity(), v.accuracy(),
                    (int) v.tokens(), best, bleu));
        }

        private void checkpoint() {
            Path written = checkpoints.write(model, average != null ? average.model() : null, adam, state,
                    o.keepCheckpoints());
            if (!validates()) {
                models.save(evaluated(), job.modelDirectory());
            }
            events.checkpointed(state.step(), written);
        }

        private void finish(StopReason reason) {
            if (state.step() == 0) {
                return;
            }
            if (validates() && state.step() % o.validEvery() != 0 && reason != StopReason.INTERRUPTED) {
                validate(true);
            }
            if (state.step() % o.checkpointEvery() != 0) {
                checkpoint();
            }
        }
    }

    /** A seed per (run seed, step, batch within the update): SplitMix64 of their combination. */
    static long mix(long seed, long step, int batch) {
        long z = seed ^ (step * 0x9E3779B97F4A7C15L) ^ ((long) batch << 48);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sends every event to two listeners. */
    private record Both(TrainingListener a, TrainingListener b) implements TrainingListener {
        @Override
        public void started(RunInfo info) {
            a.started(info);
            b.started(info);
        }

        @Override
        public void stepped(StepStats stats) {
            a.stepped(stats);
            b.stepped(stats);
        }

        @Override
        public void validated(ValidationStats stats) {
            a.validated(stats);
            b.validated(stats);
        }

        @Override
        public void checkpointed(long step, Path directory) {
            a.checkpointed(step, directory);
            b.checkpointed(step, directory);
        }

        @Override
        public void note(String message) {
            a.note(message);
            b.note(message);
        }
    }
}
