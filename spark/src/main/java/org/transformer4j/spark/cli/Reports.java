package org.transformer4j.spark.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.transformer4j.spark.JobReport;

/** The lines a finished job prints on stderr. */
final class Reports {

    private Reports() {
    }

    static void print(String what, JobReport r, PrintWriter err) {
        err.println(String.format(Locale.ROOT, "t4j spark: %,d lines %s in %d partition%s, %.1f s (%.2f lines/s); %d"
                        + " executor process%s, %d model load%s; peak backend memory %s, peak resident set %s",
                r.lines(), what, r.partitions(), r.partitions() == 1 ? "" : "s", r.seconds(), r.lines() / Math.max(r.seconds(), 1e-9),
                r.executors().size(), r.executors().size() == 1 ? "" : "es", r.modelLoads(),
                r.modelLoads() == 1 ? "" : "s", mib(r.peakBackendBytes()), mib(r.peakResidentBytes())));
        if (r.badLines() > 0) {
            err.println(String.format(Locale.ROOT, "t4j spark: warning: %d line%s left empty (not UTF-8: %d, too long:"
                            + " %d, failed: %d); the warning column of parquet or json output says why",
                    r.badLines(), r.badLines() == 1 ? "" : "s", r.invalidUtf8(), r.tooLong(), r.failed()));
        }
        err.flush();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
