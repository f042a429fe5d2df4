package org.transformer4j.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.training.data.ParallelText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j vocab}: learns a byte-pair vocabulary and writes it in the Hugging Face tokenizers format. */
@Command(name = "vocab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn a byte-pair-encoding subword vocabulary from aligned text and write it as a Hugging Face"
                + " tokenizer.json (joint), or tokenizer.src.json and tokenizer.tgt.json (--separate).",
                "Special tokens: <pad> 0, <bos> 1, <eos> 2, <unk> 3; ids 4-259 are byte tokens, so characters never"
                        + " seen in training are spelled in UTF-8 bytes instead of vanishing."})
public final class VocabCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--src", paramLabel = "FILE", required = true, description = "Source text (UTF-8, a sentence per line).")
    Path src;

    @Option(names = "--tgt", paramLabel = "FILE", required = true, description = "Target text, aligned with --src.")
    Path tgt;

    @Option(names = "--size", paramLabel = "N", defaultValue = "8000",
            description = "Vocabulary size, special and byte tokens included (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--separate", description = "One vocabulary per language instead of a joint one.")
    boolean separate;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the tokenizer file(s) to.")
    Path out;

    @Option(names = "--force", description = "Replace vocabulary files already in DIR.")
    boolean force;

    @Override
    public void run() {
        if (!force && Vocabularies.exist(out)) {
            throw new CliException(ExitCodes.FAILURE, out + " already holds a vocabulary; choose another --out, or add --force");
        }
        ParallelText text = ParallelText.read(src, tgt);
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        TrainingSetup.learnVocabulary(out, text, size, separate, spec.commandLine().getOut());
    }
}
