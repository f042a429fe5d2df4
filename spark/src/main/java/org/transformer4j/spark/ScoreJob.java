package org.transformer4j.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.executor.JobCounters;
import org.transformer4j.spark.executor.ModelSpec;
import org.transformer4j.spark.executor.ScorePartition;
import org.transformer4j.spark.input.NumberedLines;

import scala.Tuple2;

/**
 * Scores a parallel corpus on Spark: per line pair, the model's log-probability of the target given the source
 * (teacher forcing, as {@code t4j score}), its length in tokens, the score under a length penalty, and the
 * log-probability per token, for filtering a crawled corpus by model score.
 */
public final class ScoreJob {

    private ScoreJob() {
    }

    public static JobReport run(SparkSession spark, ScoreSpec spec) {
        ModelSpec model = ShippedModel.prepare(spark, spec.model());
        SetupChecks.input(spark, spec.source());
        SetupChecks.input(spark, spec.target());
        SetupChecks.output(spark, spec.output(), spec.overwrite());
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaPairRDD<Long, byte[]> source = NumberedLines.text(sc, spec.source(), spec.partitions());
        JavaPairRDD<Long, byte[]> target = NumberedLines.text(sc, spec.target(), spec.partitions());
        long sourceLines = source.count();
        long targetLines = target.count();
        if (sourceLines != targetLines) {
            throw new JobSetupException(spec.source() + " has " + sourceLines + " lines but " + spec.target() + " has "
                    + targetLines + ": the files must be aligned line by line");
        }
        int partitions = Math.max(spec.partitions(), Math.max(source.getNumPartitions(), target.getNumPartitions()));
        // Joined by line number, then in ranges of line numbers: each task scores a contiguous run of lines.
        JavaPairRDD<Long, Tuple2<byte[], byte[]>> pairs = source.join(target, partitions).sortByKey(true, partitions);
        JobCounters counters = new JobCounters(spark.sparkContext());
        JavaRDD<Row> rows = pairs.mapPartitions(new ScorePartition(model, spec.lengthPenalty(),
                spec.format() == OutputFormat.TEXT, counters, spec.fault()));
        return ResultWriter.write(spark, rows, ScorePartition.COLUMNS, spec.format(), spec.output(), spec.overwrite(),
                counters, start);
    }
}
