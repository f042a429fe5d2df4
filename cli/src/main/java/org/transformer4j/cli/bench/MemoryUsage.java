package org.transformer4j.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: peaks of the Java heap (sum of the heap pools' peaks) and of the resident set (Linux
 * VmHWM), and the bytes allocated on the heap so far.
 */
public final class MemoryUsage {

    private MemoryUsage() {
    }

    /** Bytes: the largest heap use seen, summed over the heap's pools. */
    public static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Bytes: the peak resident set size from /proc/self/status, or -1 where that file does not exist. */
    public static long peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /**
     * Bytes allocated on the Java heap by every thread since the JVM started (HotSpot's per-thread allocation
     * counters, terminated threads included), or -1 where the JVM does not count them. The difference of two
     * readings is what the code in between allocated, whether or not a collection reclaimed it since: the
     * garbage a hot loop makes, which the peaks above hide.
     */
    public static long allocatedHeapBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** Resets the heap pools' peaks, so that a measurement starts from now. */
    public static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }
}
