package org.transformer4j.decoding.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Decoder;
import org.transformer4j.model.Encoder;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.ForwardContext;
import org.transformer4j.model.nn.Rows;

/**
 * Decoding without a key/value cache: every step runs the decoder over each row's whole prefix and keeps the
 * last position, as "The Illustrated Transformer" draws it. Step t costs t positions instead of one; the
 * encoder still runs once. The reference that {@link CachedStepModel} is checked against, and the "without
 * cache" column of {@code t4j bench decode}.
 */
public final class RecomputingStepModel implements StepModel {

    private final HostBuffer logProbabilities = new HostBuffer();
    private final Transformer model;
    private final Backend backend;
    private final int group;
    private List<int[]> prefixes; // per row, <bos> first
    private Tensor memory; // encoder output, (rows · S, d)
    private AttentionMask sourceMask;
    private TokenBatch sourceBatch;
    private final boolean keepAttention;
    private float[][] attention;

    public RecomputingStepModel(Transformer model, List<int[]> sentences, int group) {
        this(model, sentences, group, false);
    }

    /** @param keepAttention whether each step also copies its attention to the host, for {@link #attention()} */
    public RecomputingStepModel(Transformer model, List<int[]> sentences, int group, boolean keepAttention) {
        this.model = model;
        this.keepAttention = keepAttention;
        this.backend = model.backend();
        this.group = group;
        List<int[]> sources = new ArrayList<>();
        this.prefixes = new ArrayList<>();
        for (int[] s : sentences) {
            for (int g = 0; g < group; g++) {
                sources.add(s);
                prefixes.add(new int[0]);
            }
        }
        // Only the encoder output and the padding mask are kept.
        sourceBatch = TokenBatch.of(sources, model.config().padId());
        try (TensorScope scope = TensorScope.open()) {
            Encoder.Activations enc = model.encode(sourceBatch, ForwardContext.inference());
            memory = TensorScope.takeOwnership(enc.output()); // the rest of the encoder's activations go
        }
        sourceMask = AttentionMask.padding(backend, sourceBatch.lengths(), sourceBatch.length());
        TensorScope.takeOwnership(sourceMask.tensor());
    }

    @Override
    public int vocabularySize() {
        return model.config().tgtVocabSize();
    }

    @Override
    public int group() {
        return group;
    }

    @Override
    public int rows() {
        return prefixes.size();
    }

    @Override
    public float[] step(int[] tokens) {
        try (TensorScope scope = TensorScope.open()) {
            return logProbabilities.copy(backend, model.logProbabilities(advance(tokens)));
        }
    }

    @Override
    public float[] stepLogits(int[] tokens) {
        try (TensorScope scope = TensorScope.open()) {
            return logProbabilities.copy(backend, model.logits(advance(tokens)));
        }
    }

    @Override
    public float[][] attention() {
        if (attention == null) {
            return StepModel.super.attention();
        }
        return attention;
    }

    /** The decoder over every row's whole prefix, inside the caller's scope: the last position's output {@code (rows, d)}. */
    private Tensor advance(int[] tokens) {
        int rows = rows();
        int length = prefixes.getFirst().length + 1;
        int[] ids = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            int[] grown = Arrays.copyOf(prefixes.get(r), length);
            grown[length - 1] = tokens[r];
            prefixes.set(r, grown);
            System.arraycopy(grown, 0, ids, r * length, length);
        }
        int[] lengths = new int[rows];
        Arrays.fill(lengths, length);
        int[] last = new int[rows];
        for (int r = 0; r < rows; r++) {
            last[r] = r * length + length - 1;
        }
        Encoder.Activations mem = new Encoder.Activations(sourceBatch, sourceMask, null, List.of(), null, memory);
        Decoder.Activations dec = model.decode(new TokenBatch(ids, rows, length, lengths), mem, ForwardContext.inference());
        if (keepAttention) {
            Tensor w = dec.layers().getLast().crossAttention().probs(); // (rows, H, length, S)
            float[] host = backend.toHost(w);
            attention = new float[rows][];
            for (int r = 0; r < rows; r++) {
                attention[r] = HeadAverage.of(host, w.shape().dim(1), length, w.shape().dim(3), r, length - 1,
                        sourceBatch.lengths()[r]);
            }
        }
        return backend.gather(dec.output(), last);
    }

    @Override
    public void select(int[] sentences, int[] rows) {
        List<int[]> keptPrefixes = new ArrayList<>(rows.length);
        int length = sourceBatch.length();
        int[] ids = new int[rows.length * length];
        int[] lengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            keptPrefixes.add(prefixes.get(rows[i]));
            System.arraycopy(sourceBatch.ids(), rows[i] * length, ids, i * length, length);
            lengths[i] = sourceBatch.lengths()[rows[i]];
        }
        prefixes = keptPrefixes;
        sourceBatch = new TokenBatch(ids, rows.length, length, lengths);
        int d = memory.shape().dim(1);
        Tensor perRow = memory.reshape(memory.shape().dim(0) / length, length, d); // (rows, S, d)
        Tensor picked = Rows.select(backend, perRow, rows);
        perRow.close();
        memory.close();
        memory = TensorScope.takeOwnership(picked.reshape(rows.length * length, d));
        picked.close(); // the reshaped view keeps the storage
        sourceMask.close();
        sourceMask = AttentionMask.padding(backend, lengths, length);
        TensorScope.takeOwnership(sourceMask.tensor());
    }

    @Override
    public void close() {
        memory.close();
        sourceMask.close();
    }
}
