package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.transformer4j.cli.options.ModelOptions;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.DevBleu;
import org.transformer4j.training.TrainingJob;
import org.transformer4j.training.TrainingOptions;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.Augmentation;
import org.transformer4j.training.data.Batch;
import org.transformer4j.training.data.Batcher;
import org.transformer4j.training.data.Examples;
import org.transformer4j.training.data.NameSwap;
import org.transformer4j.training.data.ParallelText;

/**
 * The steps {@code train} and {@code quickstart} share before the loop: the vocabulary (read from the model
 * directory, or learned from the training text and written there), the model configuration (the directory's,
 * or a new one from the options), and the encoded, filtered data, with what was skipped reported.
 */
final class TrainingSetup {

    private TrainingSetup() {
    }

    static Vocabularies vocabulary(Path modelDir, ParallelText train, int size, boolean separate, PrintWriter out) {
        if (Vocabularies.exist(modelDir)) {
            Vocabularies v = Vocabularies.read(modelDir);
            out.printf("vocabulary: %s (%d%s tokens)%n", modelDir.resolve(v.joint() ? Vocabularies.JOINT_FILE : Vocabularies.SOURCE_FILE),
                    v.source().size(), v.joint() ? "" : " + " + v.target().size());
            out.flush();
            return v;
        }
        return learnVocabulary(modelDir, train, size, separate, out);
    }

    /** Learns a vocabulary from the training text and writes it into {@code dir}. */
    static Vocabularies learnVocabulary(Path modelDir, ParallelText train, int size, boolean separate, PrintWriter out) {
        out.printf("learning a %s byte-pair vocabulary of %d tokens from %,d lines...%n", separate ? "separate" : "joint",
                size, train.size());
        out.flush();
        long t0 = System.nanoTime();
        Vocabularies v = Vocabularies.learn(train.source(), train.target(), size, !separate);
        v.write(modelDir);
        out.printf("vocabulary: %d%s tokens in %.1f s, written to %s%n", v.source().size(),
                v.joint() ? "" : " + " + v.target().size(), (System.nanoTime() - t0) / 1e9, modelDir);
        out.flush();
        return v;
    }

    /** The directory's configuration when it holds a model, else a new one from the options. */
    static TransformerConfig config(Path modelDir, ModelOptions options, Vocabularies v, PrintWriter out) {
        if (Files.exists(modelDir.resolve(ModelStore.CONFIG_FILE))) {
            TransformerConfig existing = ModelStore.readConfig(modelDir).config();
            checkVocabulary(existing, v);
            out.println("model: continuing the model in " + modelDir + " (its config.json; model options are not applied)");
            out.flush();
            return existing;
        }
        TransformerConfig config = options.toConfig(v.source().size(), v.target().size());
        checkVocabulary(config, v);
        return config;
    }

    private static void checkVocabulary(TransformerConfig c, Vocabularies v) {
        if (c.srcVocabSize() != v.source().size() || c.tgtVocabSize() != v.target().size()) {
            throw new IllegalArgumentException("the model's vocabulary sizes (" + c.srcVocabSize() + ", " + c.tgtVocabSize()
                    + ") differ from the tokenizers' (" + v.source().size() + ", " + v.target().size()
                    + "); leave out --vocab/--src-vocab/--tgt-vocab, they come from the tokenizers");
        }
    }

    static Examples encode(String what, ParallelText text, Vocabularies v, int maxLength, PrintWriter out) {
        Examples e = Examples.encode(text, v.source()::encode, v.target()::encode, maxLength);
        out.printf("%s (%s): %s%n", what, text.name(), e.summary(maxLength));
        out.flush();
        if (e.size() == 0) {
            throw new IllegalArgumentException(what + " has no usable sentence pairs left: " + e.summary(maxLength));
        }
        return e;
    }

    /**
     * {@code --name-swap}: the names the training pairs carry over, swapped for made-up ones in {@code share} of those
     * pairs each epoch; {@link Augmentation#NONE} when {@code share} is 0.
     */
    static Augmentation nameSwap(ParallelText text, Examples train, Vocabularies v, int maxLength, double share,
            PrintWriter out) {
        if (share == 0) {
            return Augmentation.NONE;
        }
        NameSwap swap = NameSwap.of(text, train, v.source()::encode, v.target()::encode, maxLength, share);
        out.printf(Locale.ROOT, "name swap: %,d pairs have one of %,d names on both sides, carried over or translated;"
                + " each epoch %.0f%% of them get a made-up name instead, spliced from %,d names%n", swap.pairs(),
                swap.names().size(), share * 100, swap.pool().size());
        out.flush();
        return swap;
    }

    static TrainingJob job(Path modelDir, TransformerConfig config, Examples train, Examples valid, TrainingOptions options,
            DevBleu devBleu, Augmentation augmentation) {
        List<Batch> validation = valid == null ? List.of()
                : new Batcher(valid.list(), options.batchTokens(), config.padId(), config.bosId(), config.eosId()).inLengthOrder();
        return new TrainingJob(modelDir, config, train, validation, options, devBleu, augmentation);
    }

    /**
     * Dev BLEU over every validation pair whose source has a token (long ones too: BLEU is over the whole set),
     * every {@code every} steps; null when {@code every} is 0 or there is no validation text.
     */
    static DevBleu devBleu(ParallelText valid, Vocabularies v, int every) {
        if (valid == null || every <= 0) {
            return null;
        }
        List<int[]> sources = new java.util.ArrayList<>();
        List<String> references = new java.util.ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            int[] ids = v.source().encode(valid.source().get(i));
            if (ids.length > 0) {
                sources.add(ids);
                references.add(valid.target().get(i));
            }
        }
        return sources.isEmpty() ? null : new DevBleu(sources, references, v.target()::decode, every);
    }
}
