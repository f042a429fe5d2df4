package org.transformer4j.model.planted.cycle.a;

import org.transformer4j.model.planted.cycle.b.CycleB;

/** Half of a deliberate package cycle (test fixture). */
public final class CycleA {
    public CycleB other;
}
