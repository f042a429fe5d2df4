package org.transformer4j.decoding.illustrate;

import java.util.ArrayList;
import java.util.List;

import org.transformer4j.decoding.search.BeamObserver;

/** Records the candidates of one sentence's beam search as a tree (node 0 the empty hypothesis). */
final class BeamRecorder implements BeamObserver {

    /** One candidate as the search reported it; {@code step} is its length. */
    record Raw(int id, int parent, int step, int rank, int token, Outcome outcome, double logProbability, double score) {
    }

    private final List<Raw> nodes = new ArrayList<>();
    private int[] slots; // beam slot → node id, for the step being reported
    private int[] next;  // the same for the step after it
    private int step;

    BeamRecorder(int beamSize, int bosId) {
        slots = new int[beamSize];
        next = new int[beamSize];
        nodes.add(new Raw(0, -1, 0, 0, bosId, Outcome.KEPT, 0, Double.NaN));
    }

    @Override
    public void candidate(int sentence, int step, int rank, int parentSlot, int token, double logProbability,
            Outcome outcome, int slot, double score) {
        if (sentence != 0) {
            throw new IllegalStateException("a beam recorder follows one sentence, not sentence " + sentence);
        }
        if (step != this.step) { // a new step: the slots kept in the last one are the parents now
            int[] t = slots;
            slots = next;
            next = t;
            this.step = step;
        }
        int id = nodes.size();
        nodes.add(new Raw(id, slots[parentSlot], step + 1, rank, token, outcome, logProbability, score));
        if (outcome == Outcome.KEPT) {
            next[slot] = id;
        }
    }

    List<Raw> nodes() {
        return nodes;
    }

    /** The tokens of node {@code id}'s hypothesis, without {@code <bos>} and without its own {@code <eos>}. */
    int[] tokens(int id, int eosId) {
        List<Integer> path = new ArrayList<>();
        for (int n = id; n > 0; n = nodes.get(n).parent()) {
            path.addFirst(nodes.get(n).token());
        }
        if (!path.isEmpty() && path.getLast() == eosId) {
            path.removeLast();
        }
        return path.stream().mapToInt(Integer::intValue).toArray();
    }
}
