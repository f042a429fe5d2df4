package org.transformer4j.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transformer4j.api.Backend;
import org.transformer4j.api.Tensor;
import org.transformer4j.api.TensorScope;
import org.transformer4j.model.Encoder;
import org.transformer4j.model.TokenBatch;
import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.nn.ForwardContext;

/**
 * Greedy decoding as "The Illustrated Transformer" describes it: encode the source once, then repeatedly
 * run the decoder on {@code <bos>} and the tokens emitted so far and append the most probable next token,
 * until {@code <eos>} or the length limit. This version recomputes the whole prefix at every step (no
 * key/value cache): simple and obviously right, and the reference the cached decoder is checked against.
 */
public final class GreedyDecoder {

    private final Transformer model;

    public GreedyDecoder(Transformer model) {
        this.model = model;
    }

    /**
     * Translates a batch of sources (ids without {@code <bos>}/{@code <eos>}); each output stops at
     * {@code <eos>} or after {@code maxLenA · sourceLength + maxLenB} tokens. Returns the output ids without
     * {@code <bos>} and {@code <eos>}, in input order.
     */
    public List<int[]> decode(List<int[]> sources, float maxLenA, int maxLenB) {
        TransformerConfig c = model.config();
        Backend backend = model.backend();
        int batch = sources.size();
        int[] limits = new int[batch];
        int longest = 0;
        for (int b = 0; b < batch; b++) {
            limits[b] = Math.max(1, (int) (maxLenA * sources.get(b).length) + maxLenB);
            longest = Math.max(longest, limits[b]);
        }
        List<List<Integer>> outputs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            outputs.add(new ArrayList<>());
        }
        boolean[] done = new boolean[batch];
        try (TensorScope scope = TensorScope.open()) {
            Encoder.Activations memory = model.encode(TokenBatch.of(sources, c.padId()), ForwardContext.inference());
            for (int t = 1; t <= longest && !allDone(done); t++) {
                int[] prefix = new int[batch * t];
                for (int b = 0; b < batch; b++) {
                    prefix[b * t] = c.bosId();
                    List<Integer> out = outputs.get(b);
                    for (int i = 1; i < t; i++) {
                        prefix[b * t + i] = i - 1 < out.size() ? out.get(i - 1) : c.padId();
                    }
                }
                int[] lengths = new int[batch];
                Arrays.fill(lengths, t);
                try (TensorScope step = TensorScope.open()) {
                    Tensor hidden = model.decode(new TokenBatch(prefix, batch, t, lengths), memory,
                            ForwardContext.inference()).output(); // (B·t, d)
                    int[] last = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        last[b] = b * t + t - 1;
                    }
                    int[] next = backend.argmax(model.logits(backend.gather(hidden, last))); // (B, V) → B ids
                    for (int b = 0; b < batch; b++) {
                        if (done[b]) {
                            continue;
                        }
                        if (next[b] == c.eosId()) {
                            done[b] = true;
                        } else {
                            outputs.get(b).add(next[b]);
                            done[b] = outputs.get(b).size() >= limits[b];
                        }
                    }
                }
            }
        }
        List<int[]> result = new ArrayList<>(batch);
        for (List<Integer> out : outputs) {
            result.add(out.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }
}
