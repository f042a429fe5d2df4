package org.transformer4j.cli.inject;

import java.util.ArrayList;
import java.util.List;

import org.transformer4j.api.Backend;

/**
 * The backends a command created, closed when it ends. Guice has no shutdown, so the CLI owns this list and
 * closes it in a try-with-resources around the command.
 */
public final class OpenedBackends implements AutoCloseable {

    private final List<Backend> opened = new ArrayList<>();

    public synchronized Backend add(Backend backend) {
        opened.add(backend);
        return backend;
    }

    @Override
    public synchronized void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
