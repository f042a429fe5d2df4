package org.transformer4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.transformer4j.decoding.eval.Bleu;
import org.transformer4j.decoding.eval.ChrF;
import org.transformer4j.training.data.TextLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code t4j eval}: corpus BLEU and chrF of a translation file, as sacreBLEU computes them by default. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score translations against references: corpus BLEU (sacreBLEU's defaults: 13a tokenisation,"
                + " 4-grams, brevity penalty, exp smoothing) and chrF2 (character 6-grams, beta 2).",
                "Detokenised text in, as sacreBLEU expects; the numbers match sacreBLEU's to the printed precision."})
public final class EvalCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--hyp", paramLabel = "FILE", required = true, description = "The translations, one per line.")
    Path hypotheses;

    @Option(names = "--ref", paramLabel = "FILE", required = true,
            description = "The references, line by line with --hyp; repeat it for several references per line.")
    List<Path> references;

    @Override
    public void run() {
        List<String> hyp = TextLines.read(hypotheses);
        List<List<String>> refs = References.read(references, hyp.size(), hypotheses);
        Bleu.BleuScore bleu = Bleu.corpus(hyp, refs);
        ChrF.ChrFScore chrf = ChrF.corpus(hyp, refs);
        PrintWriter out = spec.commandLine().getOut();
        out.println(bleu);
        out.println(chrf);
        out.println("signatures: BLEU " + bleu.signature() + "; chrF2 " + chrf.signature());
        out.flush();
    }
}
