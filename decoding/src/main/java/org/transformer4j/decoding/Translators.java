package org.transformer4j.decoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.transformer4j.model.Transformer;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.Vocabularies;

import jakarta.inject.Inject;

/**
 * Opens {@link Translator}s from model directories on the injected backend:
 * <pre>{@code
 * Translators translators = injector.getInstance(Translators.class);
 * try (Translator t = translators.open(Path.of("models/quickstart"))) {
 *     List<String> english = t.translate(List.of("En el principio creó Dios los cielos y la tierra."));
 * }
 * }</pre>
 */
public final class Translators {

    private final ModelStore store;

    @Inject
    public Translators(ModelStore store) {
        this.store = store;
    }

    /** One model, or an ensemble of several that share the first one's vocabulary. */
    public Translator open(List<Path> modelDirs, int batchSize, int maxSourceTokens) {
        if (modelDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one model directory is needed");
        }
        Vocabularies vocabularies = Vocabularies.read(modelDirs.getFirst());
        List<Transformer> models = new ArrayList<>();
        try {
            for (Path dir : modelDirs) {
                if (dir != modelDirs.getFirst() && !sameTokens(vocabularies, Vocabularies.read(dir))) {
                    throw new IllegalArgumentException("the models of an ensemble must share their vocabulary: " + dir
                            + " has another one than " + modelDirs.getFirst());
                }
                models.add(store.load(dir));
            }
            return new Translator(models, vocabularies, batchSize, maxSourceTokens);
        } catch (RuntimeException | Error e) {
            models.forEach(Transformer::close);
            throw e;
        }
    }

    /**
     * One model, or an ensemble, that translates token ids: no vocabulary files needed (the models must share
     * their target vocabulary size and special ids).
     */
    public IdTranslator openIds(List<Path> modelDirs, int batchSize, int maxSourceTokens) {
        if (modelDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one model directory is needed");
        }
        List<Transformer> models = new ArrayList<>();
        try {
            for (Path dir : modelDirs) {
                models.add(store.load(dir));
            }
            return new IdTranslator(models, batchSize, maxSourceTokens);
        } catch (RuntimeException | Error e) {
            models.forEach(Transformer::close);
            throw e;
        }
    }

    private static boolean sameTokens(Vocabularies a, Vocabularies b) {
        return sameTokens(a.source(), b.source()) && sameTokens(a.target(), b.target());
    }

    private static boolean sameTokens(org.transformer4j.model.vocab.Tokenizer a, org.transformer4j.model.vocab.Tokenizer b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.token(i).equals(b.token(i))) {
                return false;
            }
        }
        return true;
    }

    public Translator open(Path modelDir) {
        return open(List.of(modelDir), Translator.DEFAULT_BATCH_SIZE, Translator.DEFAULT_MAX_SOURCE_TOKENS);
    }
}
