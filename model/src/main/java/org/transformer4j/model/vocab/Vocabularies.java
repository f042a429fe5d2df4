package org.transformer4j.model.vocab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.transformer4j.model.io.CheckpointException;

/**
 * The vocabularies of a model directory: one joint {@code tokenizer.json} (the default: source and target
 * share subwords, and the embeddings can be tied), or {@code tokenizer.src.json} and {@code tokenizer.tgt.json}.
 * Each file is in the Hugging Face tokenizers format.
 */
public record Vocabularies(Tokenizer source, Tokenizer target, boolean joint) {

    public static final String JOINT_FILE = "tokenizer.json";
    public static final String SOURCE_FILE = "tokenizer.src.json";
    public static final String TARGET_FILE = "tokenizer.tgt.json";

    /** Whether {@code dir} holds vocabulary files (either layout). */
    public static boolean exist(Path dir) {
        return Files.exists(dir.resolve(JOINT_FILE))
                || Files.exists(dir.resolve(SOURCE_FILE)) && Files.exists(dir.resolve(TARGET_FILE));
    }

    /** Reads the vocabulary files of {@code dir}. */
    public static Vocabularies read(Path dir) {
        if (Files.exists(dir.resolve(JOINT_FILE))) {
            Tokenizer t = Tokenizer.read(dir.resolve(JOINT_FILE));
            return new Vocabularies(t, t, true);
        }
        if (Files.exists(dir.resolve(SOURCE_FILE)) && Files.exists(dir.resolve(TARGET_FILE))) {
            return new Vocabularies(Tokenizer.read(dir.resolve(SOURCE_FILE)), Tokenizer.read(dir.resolve(TARGET_FILE)), false);
        }
        throw new CheckpointException(dir + " has no vocabulary: expected " + JOINT_FILE + ", or " + SOURCE_FILE + " and "
                + TARGET_FILE + " (run t4j vocab, or t4j train, which learns one)");
    }

    /**
     * Learns byte-pair vocabularies of {@code size} tokens from the training text: one from both sides when
     * {@code joint}, else one per side.
     */
    public static Vocabularies learn(List<String> sourceLines, List<String> targetLines, int size, boolean joint) {
        BpeTrainer trainer = new BpeTrainer(size, 2);
        if (joint) {
            List<String> both = new ArrayList<>(sourceLines.size() + targetLines.size());
            both.addAll(sourceLines);
            both.addAll(targetLines);
            Tokenizer t = trainer.train(both);
            return new Vocabularies(t, t, true);
        }
        return new Vocabularies(trainer.train(sourceLines), trainer.train(targetLines), false);
    }

    /** Writes the vocabulary files into {@code dir} (atomically). */
    public void write(Path dir) {
        if (joint) {
            source.write(dir.resolve(JOINT_FILE));
        } else {
            source.write(dir.resolve(SOURCE_FILE));
            target.write(dir.resolve(TARGET_FILE));
        }
    }
}
