package org.transformer4j.cli.planted;

import org.transformer4j.spark.JobReport;

/** A deliberate violation (test fixture): the t4j command line depending on the Spark jobs (and so on Spark). */
public final class PlantedSparkJobUse {
    public JobReport report;
}
