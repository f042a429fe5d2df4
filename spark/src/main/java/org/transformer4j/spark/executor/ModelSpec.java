package org.transformer4j.spark.executor;

import java.io.Serializable;
import java.util.Map;

/**
 * Which model an executor loads and how: the part of a job's settings that every task needs, sent to the
 * executors with the task. Two tasks with equal specs in one executor JVM share one loaded model.
 *
 * @param modelDir          the model directory: a path every executor can read, or, when {@code shipped}, the
 *                          name under which the driver added it to the job as an archive
 * @param shipped           the directory travels with the job ({@code SparkFiles}) instead of being read in place
 * @param backend           the backend's provider name ({@code cpu}, {@code nd4j}, {@code cuda})
 * @param backendProperties backend-specific settings, as {@code t4j -B KEY=VALUE}
 * @param threads           compute threads per task; 0: the task's CPUs ({@code spark.task.cpus})
 * @param batchSize         sentences decoded together, as {@code t4j translate --batch-size}
 * @param maxSourceTokens   longer lines are left untranslated, as {@code t4j translate --max-source-len}
 */
public record ModelSpec(String modelDir, boolean shipped, String backend, Map<String, String> backendProperties,
        int threads, int batchSize, int maxSourceTokens) implements Serializable {

    public ModelSpec {
        backendProperties = Map.copyOf(backendProperties);
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be 0 (the task's CPUs) or more, not " + threads);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
        }
        if (maxSourceTokens < 1) {
            throw new IllegalArgumentException("--max-source-len must be at least 1, not " + maxSourceTokens);
        }
    }

    /** This spec with the thread count decided (the executor side, once the task's CPUs are known). */
    public ModelSpec withThreads(int n) {
        return new ModelSpec(modelDir, shipped, backend, backendProperties, n, batchSize, maxSourceTokens);
    }
}
