package org.transformer4j.spark;

import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.executor.ModelHolder;
import org.transformer4j.spark.executor.ModelSpec;

/** An embedded Spark for the tests of one class, and the specs they use. */
final class LocalSpark {

    private LocalSpark() {
    }

    /**
     * {@code local[2,4]}: two task threads in this JVM, and up to 4 attempts per task (plain {@code local[N]} never
     * retries a failed task). One CPU per task: the model computes with one thread, as {@code t4j --threads 1}.
     */
    static SparkSession start(String name) {
        return SparkSession.builder().master("local[2,4]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    static void stop(SparkSession spark) {
        spark.stop();
        ModelHolder.closeAll();
    }

    /** The fixture model on cpu, threads from the task's CPUs, t4j translate's batch size and length limit. */
    static ModelSpec model() {
        return model(1024);
    }

    static ModelSpec model(int maxSourceTokens) {
        return new ModelSpec(Fixtures.model().toString(), false, "cpu", Map.of(), 0, 32, maxSourceTokens);
    }
}
