package org.transformer4j.decoding.search;

import java.util.List;

/**
 * Several models decoding together (fairseq's, OpenNMT's and Marian's ensembles): each step, every model scores
 * the same rows and the ensemble's log-probability of a token is the average of the models' log-probabilities.
 * The models must share the target vocabulary. With {@link TokenPenalties}, each member is a
 * {@link PenalizedStepModel}: penalised on its own logits before the average.
 */
public final class EnsembleStepModel implements StepModel {

    private final List<StepModel> members;

    public EnsembleStepModel(List<StepModel> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        int vocab = members.getFirst().vocabularySize();
        for (StepModel m : members) {
            if (m.vocabularySize() != vocab) {
                throw new IllegalArgumentException("the models of an ensemble must share their target vocabulary: "
                        + vocab + " and " + m.vocabularySize() + " tokens");
            }
        }
        this.members = List.copyOf(members);
    }

    @Override
    public int vocabularySize() {
        return members.getFirst().vocabularySize();
    }

    @Override
    public int group() {
        return members.getFirst().group();
    }

    @Override
    public int rows() {
        return members.getFirst().rows();
    }

    @Override
    public float[] step(int[] tokens) {
        // The first member's array collects the sum: it is this step's result, overwritten at the next step anyway.
        float[] sum = members.getFirst().step(tokens);
        if (members.size() == 1) {
            return sum;
        }
        int length = tokens.length * vocabularySize();
        for (int m = 1; m < members.size(); m++) {
            float[] lp = members.get(m).step(tokens);
            for (int i = 0; i < length; i++) {
                sum[i] += lp[i];
            }
        }
        float n = members.size();
        for (int i = 0; i < length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    /** The members' attention, averaged (as OpenNMT-py's ensembles average theirs). */
    @Override
    public float[][] attention() {
        float[][] sum = members.getFirst().attention();
        float[][] mean = new float[sum.length][];
        for (int r = 0; r < sum.length; r++) {
            mean[r] = sum[r].clone();
        }
        for (int m = 1; m < members.size(); m++) {
            float[][] a = members.get(m).attention();
            for (int r = 0; r < mean.length; r++) {
                for (int i = 0; i < mean[r].length; i++) {
                    mean[r][i] += a[r][i];
                }
            }
        }
        float n = members.size();
        for (float[] row : mean) {
            for (int i = 0; i < row.length; i++) {
                row[i] /= n;
            }
        }
        return mean;
    }

    @Override
    public void select(int[] sentences, int[] rows) {
        members.forEach(m -> m.select(sentences, rows));
    }

    @Override
    public void close() {
        members.forEach(StepModel::close);
    }
}
