package org.transformer4j.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code t4j quickstart} reached with each budget on the development machine, from a fresh model: the table that
 * quickstart prints after its translations, so that a user knows what turning {@code --minutes} up buys. The figures
 * live in {@code quickstart-budgets.tsv} beside this class, copied from the runs that docs/quickstart.md lists with
 * their commands.
 */
record QuickstartBudgets(String measuredOn, List<Row> rows) {

    /** One measured run: {@code minutes} of training from scratch, then dev BLEU and chrF with beam search. */
    record Row(double minutes, long updates, double bleu, double chrf) {
    }

    static final String RESOURCE = "quickstart-budgets.tsv";

    /** The bundled table. Lines starting with {@code #} are comments; {@code # measured on: ...} names the machine. */
    static QuickstartBudgets bundled() {
        try (InputStream in = QuickstartBudgets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static QuickstartBudgets parse(String text) {
        String machine = "";
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# measured on:")) {
                machine = line.substring("# measured on:".length()).strip();
            } else if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                rows.add(new Row(Double.parseDouble(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3])));
            }
        }
        return new QuickstartBudgets(machine, List.copyOf(rows));
    }

    /** Prints the table, marking the row of this run's budget. */
    void print(PrintWriter out, double minutes) {
        if (rows.isEmpty()) {
            return;
        }
        out.printf("what quickstart reaches from a fresh model with more time (%s; beam 4, dev set):%n", measuredOn);
        for (Row r : rows) {
            out.printf(Locale.ROOT, "  --minutes %-4s %,6d updates   dev BLEU %5.1f   chrF %5.1f%s%n",
                    QuickstartRecipe.minutesText(r.minutes()).replace("m", ""), r.updates(), r.bleu(), r.chrf(),
                    r.minutes() == minutes ? "   <- this budget" : "");
        }
        out.println("  (--minutes is the knob to turn; running quickstart again continues the same model for another M"
                + " minutes)");
    }
}
