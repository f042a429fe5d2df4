package org.transformer4j.model.planted.cycle.b;

import org.transformer4j.model.planted.cycle.a.CycleA;

/** The other half of a deliberate package cycle (test fixture). */
public final class CycleB {
    public CycleA other;
}
