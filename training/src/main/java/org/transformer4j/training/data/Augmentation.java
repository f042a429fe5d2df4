package org.transformer4j.training.data;

import java.util.List;

/**
 * A change to some training examples, made anew each epoch (data augmentation). The same seed and epoch always give
 * the same examples, so a resumed run sees exactly what an uninterrupted one would.
 */
@FunctionalInterface
public interface Augmentation {

    /** No change. */
    Augmentation NONE = (examples, seed, epoch) -> examples;

    /** The examples of {@code epoch}: a list of the same size, pair {@code i} standing for pair {@code i}. */
    List<Example> apply(List<Example> examples, long seed, int epoch);
}
