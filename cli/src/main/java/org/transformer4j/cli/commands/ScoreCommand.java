package org.transformer4j.cli.commands;

import java.nio.file.Path;
import java.util.Arrays;

import org.transformer4j.api.CrossEntropyOutput;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.nn.ForwardContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code t4j score}: the log-probability of a target given a source, with teacher forcing (fairseq's and
 * Marian's scoring). The decoder reads {@code <bos>} followed by the target ids and predicts the target ids
 * followed by {@code <eos>}.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a target given a source with teacher forcing: the decoder reads <bos> + target and"
                + " predicts target + <eos>. Prints JSON: the predicted tokens, the log-probability of each, and their sum.",
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

    @Override
    public void run() {
        try (Transformer m = store.get().load(model); TensorScope scope = TensorScope.open()) {
            TransformerConfig c = m.config();
            int[] decoderInput = new int[tgtIds.length + 1];
            decoderInput[0] = c.bosId();
            System.arraycopy(tgtIds, 0, decoderInput, 1, tgtIds.length);
            int[] predicted = Arrays.copyOf(tgtIds, tgtIds.length + 1);
            predicted[tgtIds.length] = c.eosId();

            Transformer.Forward f = m.forward(TokenBatch.of(srcIds), TokenBatch.of(decoderInput), ForwardContext.inference());
            // Without label smoothing, the per-token nll is exactly −log p(token).
            CrossEntropyOutput ce = m.backend().crossEntropy(f.logits(), predicted, 0f, -1);
            float[] nll = ce.nll().toFloatArray();

            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            out.putPOJO("tokens", predicted);
            double sum = 0;
            var logprobs = out.putArray("logprobs");
            for (float v : nll) {
                logprobs.add(-v);
                sum -= v;
            }
            out.put("sum", sum);
            spec.commandLine().getOut().println(out.toString());
            spec.commandLine().getOut().flush();
        }
    }
}
