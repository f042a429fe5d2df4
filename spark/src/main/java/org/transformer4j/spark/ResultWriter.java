package org.transformer4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.transformer4j.spark.executor.JobCounters;

/**
 * Writes a job's rows with the DataFrame writer, whose output commit protocol makes the output all or nothing:
 * each task attempt writes into a directory of its own and only the attempt that Spark commits is moved into
 * place, so a failed, retried or speculative attempt leaves no partial or duplicate file.
 */
final class ResultWriter {

    private static final StructType TEXT = new StructType().add("value", DataTypes.StringType, false);

    private ResultWriter() {
    }

    static JobReport write(SparkSession spark, JavaRDD<Row> rows, StructType columns, OutputFormat format,
            String output, boolean overwrite, JobCounters counters, long startNanos) {
        spark.createDataFrame(rows, format == OutputFormat.TEXT ? TEXT : columns).write()
                .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .format(format.sparkName())
                .save(output);
        return new JobReport(counters.lines(), rows.getNumPartitions(), counters.invalidUtf8(), counters.tooLong(),
                counters.failed(), counters.modelLoads(), counters.executors(), counters.peakBackendBytes(),
                counters.peakResidentBytes(), (System.nanoTime() - startNanos) / 1e9);
    }
}
