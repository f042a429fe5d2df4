package org.transformer4j.it.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import jdk.jfr.Recording;

/**
 * With {@code -Dprobe.jfr=DIR}, a Java Flight Recorder recording of every sampled heap allocation (with its stack)
 * over one measured part, written to {@code DIR/NAME.jfr}: where the bytes a probe counts come from. Without the
 * property it does nothing.
 */
final class AllocationRecording implements AutoCloseable {

    private final Recording recording;
    private final Path file;

    private AllocationRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static AllocationRecording start(String name) {
        String dir = System.getProperty("probe.jfr");
        if (dir == null) {
            return new AllocationRecording(null, null);
        }
        Recording r = new Recording();
        r.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "10000/s");
        r.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
        r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
        r.setMaxAge(Duration.ofHours(1));
        r.start();
        return new AllocationRecording(r, Path.of(dir, name + ".jfr"));
    }

    @Override
    public void close() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
            recording.dump(file);
            recording.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
