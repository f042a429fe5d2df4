package org.transformer4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.transformer4j.cli.pages.ReportPage;
import org.transformer4j.model.io.AtomicFiles;
import org.transformer4j.training.MetricsFile;
import org.transformer4j.training.TrainingCurves;
import org.transformer4j.training.data.DataException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j report}: plots training runs from their {@code metrics.jsonl}, overlaid, on one self-contained page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plot a training run from its metrics.jsonl: training and validation loss, perplexity, accuracy,"
                + " dev BLEU, learning rate, gradient norm and tokens/s against steps or wall-clock time, with the"
                + " checkpoints and the best validation marked. Several --model directories overlay their curves.",
                "Works while training runs: the file is read as it stands (a half-written last line is left out)."})
public final class ReportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "A model directory with a metrics.jsonl; repeat it to compare runs.")
    List<Path> models;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
            description = "The page to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public void run() {
        write(models, out, spec.commandLine().getErr());
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
    }

    /** Reads the runs and writes their page; warnings (a torn last line) go to {@code err}. */
    public static void write(List<Path> models, Path out, PrintWriter err) {
        List<TrainingCurves> runs = new ArrayList<>();
        for (Path m : models) {
            TrainingCurves r = MetricsFile.read(m);
            if (r.warning() != null) {
                err.println("t4j: warning: " + r.warning());
                err.flush();
            }
            runs.add(r);
        }
        try {
            AtomicFiles.writeString(out, ReportPage.render(runs));
        } catch (IOException e) {
            throw new DataException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
