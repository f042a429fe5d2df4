package org.transformer4j.spark.cli;

import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.LocalClusters;

/**
 * The Spark session of a command: spark-submit's settings (it passes them as system properties, which
 * {@link SparkConf} reads), then {@code --conf}, then {@code --master}. Without any master it is an embedded
 * {@code local[N]} Spark, N the processors, running one task at a time with all N as its CPUs (one model, N compute
 * threads: what {@code t4j translate} does on this machine).
 */
final class Sessions {

    private Sessions() {
    }

    static SparkSession open(String appName, String master, Map<String, String> settings) {
        SparkConf conf = new SparkConf().setAppName(appName);
        settings.forEach(conf::set);
        if (master != null) {
            conf.setMaster(master);
        }
        if (!conf.contains("spark.master")) {
            int n = Runtime.getRuntime().availableProcessors();
            conf.setMaster("local[" + n + "]");
            conf.setIfMissing("spark.task.cpus", Integer.toString(n));
        }
        String m = conf.get("spark.master");
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false"); // nothing to look at for seconds; no port taken
        }
        if (LocalClusters.isLocalCluster(m)) {
            LocalClusters.configure(conf, LocalClusters.currentClassPath());
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
