package org.transformer4j.cli.progress;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) during a long command: the first one asks the work to stop cleanly (a training run writes a
 * checkpoint), the second one quits at once with exit code 130. Closing restores the previous handler.
 */
public final class Interrupts implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private Interrupts(Runnable firstInterrupt) {
        boolean[] seen = {false};
        this.previous = Signal.handle(INT, signal -> {
            if (seen[0]) {
                System.exit(130);
            }
            seen[0] = true;
            firstInterrupt.run();
        });
    }

    public static Interrupts onCtrlC(Runnable firstInterrupt) {
        return new Interrupts(firstInterrupt);
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
