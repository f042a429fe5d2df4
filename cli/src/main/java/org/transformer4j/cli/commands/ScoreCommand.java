package org.transformer4j.cli.commands;

import java.nio.file.Path;

import org.transformer4j.cli.errors.CliException;
import org.transformer4j.cli.errors.ExitCodes;
import org.transformer4j.cli.options.PenaltyOptionsMixin;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.TeacherForcedScorer;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.io.ModelStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j score}: the log-probability of a target given a source, with teacher forcing (fairseq's and
 * Marian's scoring). The decoder reads {@code <bos>} followed by the target ids and predicts the target ids
 * followed by {@code <eos>}. Under the options against loops it scores as {@code translate} does: the prediction at
 * position t is penalised from the target's first t tokens, and the coverage penalty joins the score.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a target given a source with teacher forcing: the decoder reads <bos> + target and"
                + " predicts target + <eos>. Prints JSON: the predicted tokens, the log-probability of each, their sum,"
                + " and the score under --length-penalty (what translate reports for the same output). With the options"
                + " against loops (--no-repeat-ngram, --repetition-penalty, --coverage-penalty) the log-probabilities are"
                + " those translate used under the same options, and the score includes the coverage penalty.",
                "Token ids need no vocabulary files; this is how backends and other implementations are cross-checked."})
public final class ScoreCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Inject
    Provider<ModelStore> store;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The model directory.")
    Path model;

    @Option(names = "--src-ids", paramLabel = "IDS", required = true, split = ",",
            description = "Source token ids, comma-separated (e.g. 5,6,7).")
    int[] srcIds;

    @Option(names = "--tgt-ids", paramLabel = "IDS", required = true, split = ",",
            description = "Target token ids, comma-separated, without <bos> or <eos>.")
    int[] tgtIds;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", defaultValue = "0",
            description = "GNMT length penalty of the reported score, as translate uses it: score = sum /"
                    + " ((5 + tokens) / 6)^ALPHA, tokens counting <eos> (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Mixin
    PenaltyOptionsMixin penalties;

    @Override
    public void run() {
        DecodingOptions options;
        try {
            options = penalties.applyTo(DecodingOptions.defaults().withLengthPenalty(lengthPenalty));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        try (Transformer m = store.get().load(model)) {
            TeacherForcedScorer.Scored scored = new TeacherForcedScorer(m).score(srcIds, tgtIds, options);
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            out.putPOJO("tokens", scored.predicted());
            var logprobs = out.putArray("logprobs");
            for (float v : scored.tokenLogProbabilities()) {
                logprobs.add(v);
            }
            out.put("sum", scored.logProbability());
            if (options.coverage().active()) {
                out.put("coverage_penalty", scored.coveragePenalty());
            }
            out.put("score", scored.score());
            spec.commandLine().getOut().println(out.toString());
            spec.commandLine().getOut().flush();
        }
    }
}
