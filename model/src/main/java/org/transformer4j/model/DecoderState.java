package org.transformer4j.model;

import java.util.ArrayList;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.nn.AttentionMask;
import org.transformer4j.model.nn.Rows;
import org.transformer4j.model.nn.MultiHeadAttention.KeyValues;

/**
 * What incremental decoding keeps between steps, so that each step computes one new position per row instead
 * of the whole prefix:
 * <ul>
 * <li>per decoder layer, the encoder-decoder attention's keys and values of the encoder output, computed once,
 * {@code (sentences, H, S, d_k)}: one copy per sentence, shared by the {@code group} rows (beam hypotheses or
 * samples) of that sentence;</li>
 * <li>per decoder layer, the self-attention's keys and values of every position decoded so far,
 * {@code (rows, H, t, d_k)}, grown by one position per {@link #step}.</li>
 * </ul>
 * Rows are sentence-major: rows {@code s·group .. s·group+group-1} belong to sentence {@code s}. After a step,
 * a search {@link #select selects} the rows that continue (a beam's surviving hypotheses, the sentences not yet
 * finished). The state owns its tensors and frees them in {@link #close}.
 */
public final class DecoderState implements AutoCloseable {

    private final Backend backend;
    private final Decoder decoder;
    private final int group;
    private final int vocabSize;
    private final int sourceLength;
    private int[] sourceLengths;
    private AttentionMask sourceMask;
    private final List<KeyValues> memory;
    private final List<KeyValues> past;
    private int steps;
    private boolean closed;

    DecoderState(Backend backend, Decoder decoder, List<KeyValues> memory, int[] sourceLengths, int sourceLength,
            int group, int vocabSize) {
        if (group < 1) {
            throw new IllegalArgumentException("a decoder state needs at least one row per sentence, not " + group);
        }
        this.backend = backend;
        this.decoder = decoder;
        this.group = group;
        this.vocabSize = vocabSize;
        this.sourceLength = sourceLength;
        this.sourceLengths = sourceLengths.clone();
        this.memory = new ArrayList<>(memory);
        this.memory.forEach(DecoderState::own);
        this.sourceMask = own(AttentionMask.padding(backend, sourceLengths, sourceLength));
        this.past = new ArrayList<>();
        for (int i = 0; i < decoder.layerCount(); i++) {
            past.add(null);
        }
    }

    /**
     * One step's results, both owned by the caller.
     *
     * @param output         the decoder output of the new position {@code (rows, d)}, for the generator
     * @param crossAttention the last decoder layer's encoder-decoder attention weights of the new position,
     *                       {@code (sentences, H, group, S)} (row {@code s·group + g} is {@code [s, :, g, :]}; the
     *                       padding of a shorter source has weight 0), or null when not asked for
     */
    public record Step(Tensor output, Tensor crossAttention) {
    }

    /**
     * Feeds one token per row (the first step feeds {@code <bos>}) and returns the decoder output of the new
     * position {@code (rows, d)}, for the generator; the caller owns it.
     */
    public Tensor step(int[] tokens) {
        return step(tokens, false).output();
    }

    /**
     * As {@link #step(int[])}, and with {@code keepAttention} also where the new position looked in the source:
     * the last decoder layer's encoder-decoder attention (what a coverage penalty sums over the steps).
     */
    public Step step(int[] tokens, boolean keepAttention) {
        checkOpen();
        if (tokens.length != rows()) {
            throw new IllegalArgumentException("a step takes one token per row: " + rows() + " rows, " + tokens.length
                    + " tokens");
        }
        for (int id : tokens) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("target token id " + id + " is outside the vocabulary of " + vocabSize);
            }
        }
        Step out = decoder.step(tokens, steps, this, keepAttention);
        steps++;
        return out;
    }

    /**
     * Keeps the given sentences and rows, in the given order: {@code sentences[s]} is the old index of new
     * sentence {@code s}, and {@code rows[r]} the old row that new row {@code r} continues (a row may be
     * continued twice: a hypothesis with two surviving extensions). Row {@code r} must belong to sentence
     * {@code sentences[r / group]}.
     */
    public void select(int[] sentences, int[] rows) {
        checkOpen();
        int oldRows = rows();
        int oldSentences = sentences();
        if (rows.length != sentences.length * group) {
            throw new IllegalArgumentException(sentences.length + " sentences of " + group + " rows need "
                    + sentences.length * group + " row indices, not " + rows.length);
        }
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] < 0 || rows[r] >= oldRows || rows[r] / group != sentences[r / group]) {
                throw new IllegalArgumentException("row " + r + " continues old row " + rows[r]
                        + ", which is not a row of its sentence " + sentences[r / group]);
            }
        }
        if (!isIdentity(sentences, oldSentences)) {
            for (int i = 0; i < memory.size(); i++) {
                KeyValues old = memory.get(i);
                memory.set(i, own(new KeyValues(Rows.select(backend, old.keys(), sentences),
                        Rows.select(backend, old.values(), sentences))));
                old.close();
            }
            int[] lengths = new int[sentences.length];
            for (int s = 0; s < sentences.length; s++) {
                lengths[s] = sourceLengths[sentences[s]];
            }
            sourceLengths = lengths;
            sourceMask.close();
            sourceMask = own(AttentionMask.padding(backend, lengths, sourceLength));
        }
        if (!isIdentity(rows, oldRows)) {
            for (int i = 0; i < past.size(); i++) {
                KeyValues old = past.get(i);
                if (old != null) {
                    past.set(i, own(new KeyValues(Rows.select(backend, old.keys(), rows),
                            Rows.select(backend, old.values(), rows))));
                    old.close();
                }
            }
        }
    }

    /** The number of sentences still decoded. */
    public int sentences() {
        return sourceLengths.length;
    }

    /** The number of source tokens of sentence {@code sentence} (without padding). */
    public int sourceLength(int sentence) {
        return sourceLengths[sentence];
    }

    /** Rows per sentence. */
    public int group() {
        return group;
    }

    public int rows() {
        return sentences() * group;
    }

    /** The number of positions decoded so far. */
    public int steps() {
        return steps;
    }

    KeyValues past(int layer) {
        return past.get(layer);
    }

    KeyValues memory(int layer) {
        return memory.get(layer);
    }

    AttentionMask sourceMask() {
        return sourceMask;
    }

    void replacePast(int layer, KeyValues grown) {
        KeyValues old = past.set(layer, own(grown));
        if (old != null && old != grown) {
            old.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.forEach(KeyValues::close);
        past.stream().filter(kv -> kv != null).forEach(KeyValues::close);
        sourceMask.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this decoder state is closed");
        }
    }

    private static boolean isIdentity(int[] order, int n) {
        if (order.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** State tensors outlive the caller's scopes: this object closes them. */
    private static KeyValues own(KeyValues kv) {
        TensorScope.takeOwnership(kv.keys());
        TensorScope.takeOwnership(kv.values());
        return kv;
    }

    private static AttentionMask own(AttentionMask mask) {
        TensorScope.takeOwnership(mask.tensor());
        return mask;
    }
}
