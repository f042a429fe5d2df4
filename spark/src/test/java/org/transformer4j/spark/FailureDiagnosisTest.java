package org.transformer4j.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * An executor that ran out of memory is reported as such, in the words each cluster manager uses (the messages are
 * those Spark's schedulers build, shortened); any other failure keeps its own first line.
 */
class FailureDiagnosisTest {

    private static SparkException stageFailure(String reason) {
        return new SparkException("Job aborted due to stage failure: Task 3 in stage 2.0 failed 4 times, most recent"
                + " failure: Lost task 3.3 in stage 2.0 (TID 17) (10.0.0.5 executor 2): " + reason + "\nDriver stacktrace:");
    }

    @Test
    void outOfMemoryInEachClusterManagersWords() {
        for (String reason : new String[] {
                "java.lang.OutOfMemoryError: Cannot reserve 67108864 bytes of direct buffer memory",
                "ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Command exited with"
                        + " code 52",
                "ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Container killed by"
                        + " YARN for exceeding physical memory limits. 4.4 GB of 4.4 GB physical memory used.",
                "ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: The executor with"
                        + " id 2 exited with exit code 137(SIGKILL, possible container OOM)."}) {
            String line = FailureDiagnosis.describe(stageFailure(reason));
            assertTrue(line.startsWith("an executor ran out of memory ("), line);
            assertTrue(line.contains("spark.executor.memoryOverhead"), line);
            assertFalse(line.contains("\n"), line);
        }
        assertTrue(FailureDiagnosis.outOfMemory(new RuntimeException("wrapped", new OutOfMemoryError("native"))));
    }

    @Test
    void otherFailuresKeepTheirFirstLine() {
        SparkException e = stageFailure("java.io.FileNotFoundException: /data/x.es (No such file or directory)");
        assertFalse(FailureDiagnosis.outOfMemory(e));
        String line = FailureDiagnosis.describe(e);
        assertTrue(line.startsWith("the Spark job failed: Job aborted due to stage failure"), line);
        assertTrue(line.contains("FileNotFoundException"), line);
        assertFalse(line.contains("Driver stacktrace"), line);
    }
}
