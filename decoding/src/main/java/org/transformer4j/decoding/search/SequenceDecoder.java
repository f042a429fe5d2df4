package org.transformer4j.decoding.search;

import java.util.ArrayList;
import java.util.List;

import org.transformer4j.model.Transformer;
import org.transformer4j.model.TransformerConfig;

/**
 * Decodes batches of token ids with one model or an ensemble: builds the {@link StepModel}s (cached or not, each
 * wrapped in a {@link PenalizedStepModel} when the options have {@link TokenPenalties}, keeping the attention when
 * the search needs it), runs the search the options describe, and frees everything before returning.
 */
public final class SequenceDecoder {

    private final List<Transformer> models;

    public SequenceDecoder(List<Transformer> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("decoding needs at least one model");
        }
        TransformerConfig first = models.getFirst().config();
        for (Transformer m : models) {
            TransformerConfig c = m.config();
            if (c.tgtVocabSize() != first.tgtVocabSize() || c.bosId() != first.bosId() || c.eosId() != first.eosId()
                    || c.padId() != first.padId()) {
                throw new IllegalArgumentException("the models of an ensemble must share their vocabulary and special"
                        + " token ids");
            }
        }
        this.models = List.copyOf(models);
    }

    public SequenceDecoder(Transformer model) {
        this(List.of(model));
    }

    /**
     * Decodes {@code sources} (ids, no {@code <bos>}/{@code <eos>}, each at least one id) with forced target
     * {@code prefixes} (empty arrays for none). Returns per source its outputs, best first.
     */
    public List<List<ScoredSequence>> decode(List<int[]> sources, List<int[]> prefixes, DecodingOptions options) {
        long[] keys = new long[sources.size()];
        java.util.Arrays.setAll(keys, i -> i);
        return decode(sources, prefixes, keys, options);
    }

    /**
     * As {@link #decode(List, List, DecodingOptions)}, with a key per sentence that seeds its samples (its
     * index in the caller's whole input), so that sampling does not depend on how the input was batched.
     */
    public List<List<ScoredSequence>> decode(List<int[]> sources, List<int[]> prefixes, long[] keys,
            DecodingOptions options) {
        return decode(sources, prefixes, keys, options, options.search());
    }

    /**
     * As {@link #decode(List, List, long[], DecodingOptions)} with a given search (for instance a
     * {@link BeamSearch} with a {@link BeamObserver}); {@code options} still decide the lengths, the cache and the
     * token penalties.
     *
     * @throws IllegalArgumentException for a forced prefix that itself repeats an n-gram the options forbid
     */
    public List<List<ScoredSequence>> decode(List<int[]> sources, List<int[]> prefixes, long[] keys,
            DecodingOptions options, Search search) {
        TransformerConfig c = models.getFirst().config();
        int[] maxLengths = new int[sources.size()];
        for (int i = 0; i < maxLengths.length; i++) {
            maxLengths[i] = Math.max(options.maxLength(sources.get(i).length), prefixes.get(i).length);
        }
        SearchInput input = new SearchInput(prefixes, maxLengths, keys, c.bosId(), c.eosId());
        TokenPenalties penalties = options.tokenPenalties();
        for (int[] prefix : prefixes) {
            // Forcing it would mean a token of probability 0: say so rather than return nothing.
            int repeat = penalties.noRepeatNgram().firstRepeat(prefix);
            if (repeat >= 0) {
                throw new IllegalArgumentException("the forced prefix repeats the " + options.noRepeatNgram()
                        + "-gram at its token " + (repeat + 1) + ", which --no-repeat-ngram " + options.noRepeatNgram()
                        + " forbids");
            }
        }
        boolean attention = search.needsAttention();
        List<StepModel> members = new ArrayList<>();
        try {
            for (Transformer m : models) {
                StepModel member = options.cache() ? new CachedStepModel(m, sources, search.group(), attention)
                        : new RecomputingStepModel(m, sources, search.group(), attention);
                members.add(penalties.active() ? new PenalizedStepModel(member, penalties) : member);
            }
            return search.run(members.size() == 1 ? members.getFirst() : new EnsembleStepModel(members), input);
        } finally {
            members.forEach(StepModel::close);
        }
    }

    public List<List<ScoredSequence>> decode(List<int[]> sources, DecodingOptions options) {
        return decode(sources, sources.stream().map(s -> new int[0]).toList(), options);
    }
}
