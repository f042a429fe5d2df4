package org.transformer4j.spark;

import java.io.File;

import org.apache.spark.SparkConf;

/**
 * Settings that let Spark's {@code local-cluster[workers,cores,memoryMiB]} master start its executors as separate
 * JVMs without a Spark installation. A worker builds an executor's command line with Spark's launcher, which
 * wants {@code $SPARK_HOME/jars}; with {@code SPARK_TESTING=1} in the executor's environment it does without and
 * takes the class path from {@code spark.executor.extraClassPath} (how Spark's own test suites run executors). We
 * give it this JVM's class path, which holds Spark (from Maven) and our jars.
 */
public final class LocalClusters {

    private LocalClusters() {
    }

    public static boolean isLocalCluster(String master) {
        return master != null && master.startsWith("local-cluster");
    }

    /** Adds the settings to {@code conf} unless it has its own executor class path. */
    public static SparkConf configure(SparkConf conf, String classPath) {
        if (!conf.contains("spark.executor.extraClassPath")) {
            conf.set("spark.executor.extraClassPath", classPath);
        }
        conf.setIfMissing("spark.executorEnv.SPARK_TESTING", "1");
        conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        return conf;
    }

    /** This JVM's class path: surefire's full test class path when it runs from a manifest-only jar. */
    public static String currentClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire
                : System.getProperty("java.class.path").replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }
}
