package org.apache.spark.planted;

/**
 * A test fixture in Spark's package namespace, standing in for a Spark class: the integration tests do not have
 * Spark on their class path (the spark module gets it as provided), and the planted violations only need a name.
 */
public final class StandInSparkClass {
}
