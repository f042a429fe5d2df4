package org.transformer4j.decoding.planted;

import picocli.CommandLine.Option;

/** A deliberate violation (test fixture): library code parsing a command line. */
public final class PlantedPicocliUse {

    @Option(names = "--beam")
    public int beam;
}
