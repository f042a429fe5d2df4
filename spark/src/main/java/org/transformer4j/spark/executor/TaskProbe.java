package org.transformer4j.spark.executor;

import org.apache.spark.TaskContext;

/** What every task reports besides its results: which process ran it and the memory it reached. */
final class TaskProbe {

    private TaskProbe() {
    }

    /**
     * Called by every task with the model in hand: reports this JVM and how many models it has loaded so far (a
     * count per process rather than an accumulator added when loading, because Spark drops the accumulator updates of
     * a failed attempt, and the attempt that loaded the model may be the one that fails).
     */
    static void report(JobCounters counters, LoadedModel model) {
        counters.executors.add(ProcessMemory.id() + " " + ModelHolder.loads());
        var memory = model.backend().memory();
        counters.peakBackendBytes.add(memory.peak() + memory.cached());
        counters.peakResidentBytes.add(ProcessMemory.peakResident());
    }

    /** Throws on the first attempt of the chosen partition once {@code rows} results have gone out. */
    static void maybeFail(FaultInjection fault, int rows) {
        if (fault == null) {
            return;
        }
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == fault.partition() && task.attemptNumber() == 0
                && rows >= fault.afterRows()) {
            throw new FaultInjection.InjectedFailure(fault.partition(), rows);
        }
    }
}
