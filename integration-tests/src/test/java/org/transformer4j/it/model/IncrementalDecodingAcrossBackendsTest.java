package org.transformer4j.it.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.it.conformance.BackendsUnderTest;
import org.transformer4j.model.DecoderState;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;

/**
 * Incremental decoding with the key/value cache computes the same next-token log-probabilities as running the
 * decoder over the whole prefix, on every available backend: within 2e-4 absolute (float32 through 2+2 layers;
 * the two paths add the same terms in a different order), for post- and pre-norm, with source padding, several
 * rows per sentence, rows reordered as beam search reorders them, and sentences leaving the batch. Afterwards
 * the backend's memory is back to its baseline.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.transformer4j.it.conformance.BackendsUnderTest#names")
class IncrementalDecodingAcrossBackendsTest {

    private static final double TOLERANCE = 2e-4;
    private final Backend backend;

    IncrementalDecodingAcrossBackendsTest(String name) {
        this.backend = BackendsUnderTest.open(name);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void cachedStepsMatchFullRecomputationPostNorm() {
        check(TransformerConfig.Norm.POST);
    }

    @Test
    void cachedStepsMatchFullRecomputationPreNorm() {
        check(TransformerConfig.Norm.PRE);
    }

    private void check(TransformerConfig.Norm norm) {
        TransformerConfig config = TransformerConfig.builder("tiny").srcVocabSize(40).tgtVocabSize(50).norm(norm).build();
        Random random = new Random(7);
        List<int[]> sources = List.of(ids(random, 6, 40), ids(random, 3, 40), ids(random, 9, 40));
        int group = 2;
        long baseline = backend.memory().inUse();
        try (Transformer model = Transformer.initialise(backend, config, 3)) {
            try (TensorScope warmUp = TensorScope.open()) {
                // builds the model's positional-encoding table (128 positions), a cache the model owns
                model.encode(TokenBatch.of(sources.getFirst()), ForwardContext.inference());
            }
            long withModel = backend.memory().inUse();
            // prefixes[r] = <bos> + tokens fed so far to row r; sentenceOf[r] = its source
            List<int[]> prefixes = new ArrayList<>();
            List<Integer> sentenceOf = new ArrayList<>();
            for (int s = 0; s < sources.size(); s++) {
                for (int g = 0; g < group; g++) {
                    prefixes.add(new int[] {config.bosId()});
                    sentenceOf.add(s);
                }
            }
            int[] alive = {0, 1, 2};
            try (DecoderState state = model.startDecoding(TokenBatch.of(sources, config.padId()), group)) {
                for (int step = 0; step < 7; step++) {
                    int[] tokens = prefixes.stream().mapToInt(p -> p[p.length - 1]).toArray();
                    float[] cached;
                    try (TensorScope scope = TensorScope.open()) {
                        cached = backend.toHost(model.logProbabilities(state.step(tokens)));
                    }
                    float[] full = recomputed(model, sources, prefixes, sentenceOf);
                    for (int i = 0; i < full.length; i++) {
                        assertEquals(full[i], cached[i], TOLERANCE, norm + " step " + step + " row " + i / 50
                                + " token " + i % 50);
                    }
                    // Extend every row with a random token; at steps 2 and 4 reorder rows within their sentence
                    // (row 0 of a sentence continues its row 1 twice), at step 3 drop the middle sentence, at
                    // step 5 the last one.
                    int[] rows = new int[prefixes.size()];
                    int[] sentences = new int[alive.length];
                    for (int s = 0; s < alive.length; s++) {
                        sentences[s] = s;
                    }
                    for (int r = 0; r < rows.length; r++) {
                        rows[r] = step % 2 == 0 && step > 0 ? (r / group) * group + 1 : r;
                    }
                    if (step == 3) {
                        sentences = new int[] {0, 2};
                        rows = new int[] {0, 1, 4, 5};
                    }
                    if (step == 5) { // the last sentence leaves: the kept rows are a prefix of the old ones
                        sentences = new int[] {0};
                        rows = new int[] {0, 1};
                    }
                    state.select(sentences, rows);
                    List<int[]> nextPrefixes = new ArrayList<>();
                    List<Integer> nextSentence = new ArrayList<>();
                    for (int r : rows) {
                        int[] p = prefixes.get(r);
                        nextPrefixes.add(p);
                        nextSentence.add(sentenceOf.get(r));
                    }
                    int[] nextAlive = new int[sentences.length];
                    for (int s = 0; s < sentences.length; s++) {
                        nextAlive[s] = alive[sentences[s]];
                    }
                    alive = nextAlive;
                    prefixes = new ArrayList<>();
                    for (int[] p : nextPrefixes) {
                        int[] q = Arrays.copyOf(p, p.length + 1);
                        q[p.length] = 4 + random.nextInt(46);
                        prefixes.add(q);
                    }
                    sentenceOf = nextSentence;
                }
                assertEquals(1, state.sentences());
                assertEquals(7, state.steps());
            }
            assertEquals(withModel, backend.memory().inUse(), "the decoder state freed everything it held");
        }
        assertEquals(baseline, backend.memory().inUse());
        assertTrue(baseline >= 0);
    }

    /** The next-token log-probabilities of every row, from the whole prefix, without any cache. */
    private float[] recomputed(Transformer model, List<int[]> sources, List<int[]> prefixes, List<Integer> sentenceOf) {
        List<int[]> rowSources = sentenceOf.stream().map(sources::get).toList();
        int length = prefixes.getFirst().length;
        int[] ids = prefixes.stream().flatMapToInt(Arrays::stream).toArray();
        int[] lengths = new int[prefixes.size()];
        Arrays.fill(lengths, length);
        int[] last = new int[prefixes.size()];
        for (int r = 0; r < last.length; r++) {
            last[r] = r * length + length - 1;
        }
        try (TensorScope scope = TensorScope.open()) {
            var memory = model.encode(TokenBatch.of(rowSources, model.config().padId()), ForwardContext.inference());
            Tensor hidden = model.decode(new TokenBatch(ids, prefixes.size(), length, lengths), memory,
                    ForwardContext.inference()).output();
            Tensor lastRows = backend.gather(hidden, last);
            return backend.toHost(model.logProbabilities(lastRows));
        }
    }

    private static int[] ids(Random random, int n, int vocab) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 4 + random.nextInt(vocab - 4);
        }
        return ids;
    }
}
