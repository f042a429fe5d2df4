package org.transformer4j.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.transformer4j.model.TokenBatch;

/**
 * Groups examples into batches of about {@code batchTokens} tokens (sentences × the longest side, padding
 * included, as fairseq counts them), with length bucketing to limit padding: each epoch the examples are
 * shuffled with the seed, sorted by length (stably, so equal lengths stay shuffled), cut into batches, and
 * the batches shuffled again. An {@link Augmentation} may change the examples of each epoch first. The same seed and
 * epoch always give the same batches, which is what lets a resumed run continue exactly where it stopped.
 */
public final class Batcher {

    private final List<Example> examples;
    private final Augmentation augmentation;
    private final int batchTokens;
    private final int padId;
    private final int bosId;
    private final int eosId;

    public Batcher(List<Example> examples, int batchTokens, int padId, int bosId, int eosId) {
        this(examples, Augmentation.NONE, batchTokens, padId, bosId, eosId);
    }

    public Batcher(List<Example> examples, Augmentation augmentation, int batchTokens, int padId, int bosId, int eosId) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to batch");
        }
        if (batchTokens < 1) {
            throw new IllegalArgumentException("batch tokens must be positive, got " + batchTokens);
        }
        this.examples = List.copyOf(examples);
        this.augmentation = augmentation;
        this.batchTokens = batchTokens;
        this.padId = padId;
        this.bosId = bosId;
        this.eosId = eosId;
    }

    /** The batches of one epoch, in training order. */
    public List<Batch> epoch(long seed, int epoch) {
        List<Example> examples = augmentation.apply(this.examples, seed, epoch);
        if (examples.size() != this.examples.size()) {
            throw new IllegalStateException("an augmentation changed the number of examples");
        }
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        shuffle(order, random);
        Arrays.sort(order, Comparator.comparingInt(i -> length(examples.get(i)))); // stable: ties keep their shuffled order
        List<Batch> batches = cut(examples, Arrays.asList(order));
        Batch[] shuffled = batches.toArray(new Batch[0]);
        shuffle(shuffled, random);
        return List.of(shuffled);
    }

    /** The batches in length order, unshuffled (validation). */
    public List<Batch> inLengthOrder() {
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> length(examples.get(i))));
        return cut(examples, Arrays.asList(order));
    }

    private static int length(Example e) {
        return Math.max(e.source().length, e.target().length + 1) * 1024 + e.source().length;
    }

    private List<Batch> cut(List<Example> examples, List<Integer> order) {
        List<Batch> batches = new ArrayList<>();
        List<Example> current = new ArrayList<>();
        int longest = 0;
        for (int i : order) {
            Example e = examples.get(i);
            int len = Math.max(e.source().length, e.target().length + 1);
            int newLongest = Math.max(longest, len);
            if (!current.isEmpty() && newLongest * (current.size() + 1) > batchTokens) {
                batches.add(make(current));
                current.clear();
                newLongest = len;
            }
            current.add(e);
            longest = newLongest;
        }
        if (!current.isEmpty()) {
            batches.add(make(current));
        }
        return batches;
    }

    /** Pads a group of examples into a batch: decoder input {@code <bos> + target}, labels {@code target + <eos>}. */
    public Batch make(List<Example> group) {
        List<int[]> sources = new ArrayList<>(group.size());
        List<int[]> inputs = new ArrayList<>(group.size());
        int t = 0;
        for (Example e : group) {
            sources.add(e.source());
            int[] in = new int[e.target().length + 1];
            in[0] = bosId;
            System.arraycopy(e.target(), 0, in, 1, e.target().length);
            inputs.add(in);
            t = Math.max(t, in.length);
        }
        int[] labels = new int[group.size() * t];
        Arrays.fill(labels, padId);
        int tokens = 0;
        for (int b = 0; b < group.size(); b++) {
            int[] target = group.get(b).target();
            System.arraycopy(target, 0, labels, b * t, target.length);
            labels[b * t + target.length] = eosId;
            tokens += target.length + 1;
        }
        return new Batch(TokenBatch.of(sources, padId), TokenBatch.of(inputs, padId), labels, tokens);
    }

    private static <T> void shuffle(T[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
