package org.transformer4j.decoding.search;

import java.util.List;

/**
 * What a search decodes, per sentence: a forced target prefix (possibly empty), the maximum number of output
 * tokens before {@code <eos>} (at that length only {@code <eos>} may follow), and a key that identifies the
 * sentence whatever batch it is decoded in (its index in the caller's input), which seeds sampling.
 */
public record SearchInput(List<int[]> prefixes, int[] maxLengths, long[] keys, int bosId, int eosId) {

    public SearchInput {
        if (prefixes.size() != maxLengths.length || keys.length != maxLengths.length) {
            throw new IllegalArgumentException(prefixes.size() + " prefixes and " + keys.length + " keys for "
                    + maxLengths.length + " sentences");
        }
        for (int i = 0; i < maxLengths.length; i++) {
            if (maxLengths[i] < prefixes.get(i).length) {
                throw new IllegalArgumentException("sentence " + i + ": a maximum length of " + maxLengths[i]
                        + " cannot hold its forced prefix of " + prefixes.get(i).length + " tokens");
            }
        }
        prefixes = List.copyOf(prefixes);
        maxLengths = maxLengths.clone();
        keys = keys.clone();
    }

    public int sentences() {
        return maxLengths.length;
    }

    /**
     * The token sentence {@code s} must take at position {@code t} (a prefix token, or {@code <eos>} at the
     * length limit), or -1 when the search chooses.
     */
    int forced(int s, int t) {
        int[] prefix = prefixes.get(s);
        if (t < prefix.length) {
            return prefix[t];
        }
        return t >= maxLengths[s] ? eosId : -1;
    }

    /** Whether any of these sentences has a forced token at position {@code t}: then a search needs whole rows. */
    boolean anyForced(int[] sentences, int t) {
        for (int s : sentences) {
            if (forced(s, t) >= 0) {
                return true;
            }
        }
        return false;
    }
}
