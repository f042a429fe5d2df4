package org.transformer4j.cli.inject;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Backends;
import org.transformer4j.api.BackendProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Binds {@link Backend} to the provider named by a {@link BackendSelection}, looked up with
 * {@link java.util.ServiceLoader} (through {@link Backends}). Library code receives the backend by
 * constructor injection and never learns which one it is. The backend is created lazily, on first use, so
 * commands that need none (such as {@code backends}) never start one.
 */
public final class BackendModule extends AbstractModule {

    private final BackendSelection selection;
    private final OpenedBackends opened;

    public BackendModule(BackendSelection selection, OpenedBackends opened) {
        this.selection = selection;
        this.opened = opened;
    }

    @Override
    protected void configure() {
        bind(BackendSelection.class).toInstance(selection);
    }

    @Provides
    @Singleton
    BackendProvider provider() {
        return Backends.provider(selection.name());
    }

    @Provides
    @Singleton
    Backend backend(BackendProvider provider) {
        return opened.add(provider.create(selection.options()));
    }
}
