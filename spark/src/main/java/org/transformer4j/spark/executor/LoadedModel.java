package org.transformer4j.spark.executor;

import java.nio.file.Path;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.Translator;
import org.transformer4j.decoding.Translators;
import org.transformer4j.model.io.ModelStore;

/**
 * A model loaded in this JVM, with the backend it lives on (chosen by name through {@link Backends}, that is
 * {@link java.util.ServiceLoader}). Tasks use it one at a time ({@link ModelHolder#use}): a backend is not
 * meant to be driven by two threads at once, and each task already gets the task's CPUs as compute threads.
 */
public final class LoadedModel implements AutoCloseable {

    private final Backend backend;
    private final Translator translator;

    private LoadedModel(Backend backend, Translator translator) {
        this.backend = backend;
        this.translator = translator;
    }

    static LoadedModel load(ModelSpec spec, Path dir) {
        Backend backend = Backends.open(spec.backend(), new BackendOptions(spec.threads(), spec.backendProperties()));
        try {
            Translator translator = new Translators(new ModelStore(backend)).open(List.of(dir), spec.batchSize(),
                    spec.maxSourceTokens());
            return new LoadedModel(backend, translator);
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    public Translator translator() {
        return translator;
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        try {
            translator.close();
        } finally {
            backend.close();
        }
    }
}
