package org.transformer4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transformer4j.api.Backend;
import org.transformer4j.api.BackendOptions;
import org.transformer4j.api.Backends;
import org.transformer4j.decoding.search.DecodingOptions;
import org.transformer4j.decoding.search.ScoredSequence;
import org.transformer4j.decoding.search.SequenceDecoder;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.training.data.Example;
import org.transformer4j.training.data.Examples;

/**
 * The copy task of "The Annotated Transformer": random sequences of 10 symbols, and the model learns to
 * output its input. The {@code tiny} model trained on the cpu backend must copy at least 99% of fresh
 * sequences exactly with greedy decoding (it reaches that after about 900 of its 1200 updates). One thread:
 * a model this small spends more time handing tiny ops to a second thread than computing them.
 */
class CopyTaskTest {

    /** Symbols 1..10 of the Annotated Transformer become ids 4..13 here (0-3 are the special tokens). */
    private static final int FIRST_SYMBOL = 4;
    private static final int SYMBOLS = 10;
    private static final int LENGTH = 10;

    @TempDir
    Path dir;

    static List<Example> sequences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] s = r.ints(LENGTH, FIRST_SYMBOL, FIRST_SYMBOL + SYMBOLS).toArray();
            out.add(new Example(s, s.clone()));
        }
        return out;
    }

    @Test
    void theTinyModelLearnsToCopy() {
        TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(FIRST_SYMBOL + SYMBOLS).tgtVocabSize(FIRST_SYMBOL + SYMBOLS).build();
        List<Example> train = sequences(20_000, 1);
        TrainingOptions options = new TrainingOptions(64 * (LENGTH + 1), 1, 0.0f, 1.0, 400, 0.9f, 0.98f, 1e-9f, 0f,
                1200, null, 0, 7, 0, 100_000, 1, 0, 64);
        try (Backend backend = Backends.open("cpu", BackendOptions.threads(1))) {
            ModelStore store = new ModelStore(backend);
            TrainingResult result = new Trainer(backend, store).train(
                    new TrainingJob(dir, config, new Examples(train, train.size(), 0, 0), List.of(), options),
                    new TrainingListener() {
                        @Override
                        public void stepped(StepStats s) {
                            if (s.step() % 100 == 0) {
                                System.out.printf("step %d loss %.4f acc %.4f tok/s %.0f elapsed %s%n", s.step(), s.loss(), s.accuracy(), s.tokensPerSec(), s.elapsed());
                            }
                        }
                    }, () -> false);
            assertEquals(TrainingResult.StopReason.MAX_STEPS, result.reason());

            try (Transformer model = store.load(dir)) {
                List<int[]> sources = sequences(200, 99).stream().map(Example::source).toList();
                for (DecodingOptions decoding : List.of(DecodingOptions.greedy().withMaxLength(1, 5),
                        DecodingOptions.defaults().withMaxLength(1, 5))) {
                    List<List<ScoredSequence>> outputs = new SequenceDecoder(model).decode(sources, decoding);
                    int exact = 0;
                    for (int i = 0; i < sources.size(); i++) {
                        if (Arrays.equals(sources.get(i), outputs.get(i).getFirst().tokens())) {
                            exact++;
                        }
                    }
                    double rate = exact / (double) sources.size();
                    assertTrue(rate >= 0.99, "beam " + decoding.beamSize() + " copied " + exact + " of " + sources.size()
                            + " exactly");
                }
            }
        }
    }
}
