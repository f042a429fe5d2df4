package org.transformer4j.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.transformer4j.model.TransformerConfig;

/**
 * Batches of random sentence pairs shaped like real training batches, for benchmarks and probes that need a
 * training step's work without a corpus. As the trainer's length bucketing does, each batch holds sentences of one
 * length (20-35 tokens, a new draw per batch), sources within two tokens of their targets; ids are uniform over
 * the vocabulary minus the four special tokens. The same seed gives the same batches.
 */
public final class SyntheticBatches {

    private SyntheticBatches() {
    }

    /** {@code count} batches of at least {@code targetTokens} target tokens each ({@code <eos>} included). */
    public static List<Batch> make(TransformerConfig config, int targetTokens, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Batcher batcher = null;
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Example> group = new ArrayList<>();
            int tokens = 0;
            int length = r.nextInt(20, 35);
            while (tokens < targetTokens) {
                int[] s = r.ints(length + r.nextInt(-2, 3), 4, config.srcVocabSize()).toArray();
                int[] t = r.ints(length, 4, config.tgtVocabSize()).toArray();
                group.add(new Example(s, t));
                tokens += t.length + 1;
            }
            if (batcher == null) {
                batcher = new Batcher(group, Integer.MAX_VALUE, config.padId(), config.bosId(), config.eosId());
            }
            batches.add(batcher.make(group));
        }
        return batches;
    }
}
