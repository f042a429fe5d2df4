package org.transformer4j.training.planted;

import com.google.inject.Guice;
import com.google.inject.Injector;

/** A deliberate violation (test fixture): library code that builds its own Guice injector. */
public final class PlantedGuiceUse {

    public Injector injector() {
        return Guice.createInjector();
    }
}
