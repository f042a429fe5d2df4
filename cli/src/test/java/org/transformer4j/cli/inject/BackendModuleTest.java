package org.transformer4j.cli.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Backends;
import org.transformer4j.api.BackendUnavailableException;
import org.transformer4j.api.Shape;
import org.transformer4j.api.Tensor;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;

import jakarta.inject.Inject;

/** Guice gives library code (jakarta.inject constructors) the backend the selection names. */
class BackendModuleTest {

    /** Stands for model or training code: it asks for a Backend and never learns which one. */
    static final class LibraryComponent {
        final Backend backend;

        @Inject
        LibraryComponent(Backend backend) {
            this.backend = backend;
        }
    }

    @Test
    void injectsTheSelectedBackendIntoLibraryCodeAndClosesItWithTheCommand() {
        Tensor t;
        try (OpenedBackends opened = new OpenedBackends()) {
            Injector injector = Guice.createInjector(new BackendModule(BackendSelection.of("cpu"), opened));
            LibraryComponent a = injector.getInstance(LibraryComponent.class);
            LibraryComponent b = injector.getInstance(LibraryComponent.class);
            assertEquals("cpu", a.backend.name());
            assertSame(a.backend, b.backend, "one backend per command");
            t = a.backend.zeros(Shape.of(2));
            assertEquals(2, t.toFloatArray().length);
            t.close();
        }
    }

    @Test
    void anUnavailableBackendFailsAtFirstUseWithItsReason() {
        try (OpenedBackends opened = new OpenedBackends()) {
            // cuda stands for a backend that is registered but cannot run here (no driver, no GPU, no cuBLAS)
            assumeFalse(Backends.provider("cuda").availability().available(), "cuda is available on this machine");
            Injector injector = Guice.createInjector(new BackendModule(BackendSelection.of("cuda"), opened));
            ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Backend.class));
            assertTrue(e.getCause() instanceof BackendUnavailableException, e.toString());
            assertTrue(e.getCause().getMessage().startsWith("backend 'cuda' is not available: "), e.getCause().getMessage());
        }
    }
}
