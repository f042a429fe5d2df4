package org.transformer4j.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.executor.JobCounters;
import org.transformer4j.spark.executor.ModelSpec;
import org.transformer4j.spark.executor.TranslatePartition;
import org.transformer4j.spark.input.NumberedLines;

/**
 * Translates a corpus on a Spark cluster (or in a local Spark): one result per input line (per hypothesis with
 * n-best), keyed by line number, the same as {@code t4j translate} gives for that line with the same model and
 * options.
 * <pre>{@code
 * JobReport report = TranslateJob.run(spark, new TranslateSpec(model, InputSpec.text("hdfs:///corpus/mono.es"),
 *         "hdfs:///corpus/mono.en", OutputFormat.PARQUET, false, 0, DecodingOptions.defaults(), null));
 * }</pre>
 */
public final class TranslateJob {

    private TranslateJob() {
    }

    public static JobReport run(SparkSession spark, TranslateSpec spec) {
        ModelSpec model = ShippedModel.prepare(spark, spec.model());
        SetupChecks.input(spark, spec.input().path());
        SetupChecks.output(spark, spec.output(), spec.overwrite());
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JobCounters counters = new JobCounters(spark.sparkContext());
        InputSpec in = spec.input();
        JavaPairRDD<Long, byte[]> lines = in.parquet()
                ? NumberedLines.parquet(spark, in.path(), in.idColumn(), in.textColumn(), spec.partitions())
                : NumberedLines.text(sc, in.path(), spec.partitions());
        JavaRDD<Row> rows = lines.mapPartitions(new TranslatePartition(model, spec.decoding(),
                spec.format() == OutputFormat.TEXT, counters, spec.fault()));
        return ResultWriter.write(spark, rows, TranslatePartition.COLUMNS, spec.format(), spec.output(),
                spec.overwrite(), counters, start);
    }
}
