package org.transformer4j.spark.input;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import scala.Tuple2;

/**
 * Input lines keyed by their line number, as raw bytes: Spark's text reader would turn invalid UTF-8 into
 * U+FFFD silently, while the tasks must see it to report it. Lines end at {@code \n} (a {@code \r} before it is
 * dropped), as {@code t4j translate} reads a file; {@code .gz} files are gunzipped (in one task: gzip cannot be
 * split).
 */
public final class NumberedLines {

    private NumberedLines() {
    }

    /**
     * The lines of a text file (or of the files of a directory, in the order of their splits), numbered from 1.
     *
     * @param partitions at least this many partitions (a small or gzipped file is spread out); 0: as read
     */
    public static JavaPairRDD<Long, byte[]> text(JavaSparkContext sc, String path, int partitions) {
        JobConf conf = new JobConf(sc.hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n");
        FileInputFormat.setInputPaths(conf, path);
        JavaPairRDD<LongWritable, Text> raw = sc.hadoopRDD(conf, TextInputFormat.class, LongWritable.class,
                Text.class, Math.max(1, partitions));
        // Hadoop reuses the Text object for every record: copy each line's bytes out at once.
        JavaPairRDD<Long, byte[]> numbered = raw.map(record -> withoutCarriageReturn(record._2())).zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2() + 1, t._1()));
        return spread(numbered, partitions);
    }

    /** Rows of a Parquet input keyed by their id column (rows without an id are dropped), the text as UTF-8. */
    public static JavaPairRDD<Long, byte[]> parquet(SparkSession spark, String path, String idColumn,
            String textColumn, int partitions) {
        Dataset<Row> rows = spark.read().parquet(path).filter(functions.col(idColumn).isNotNull())
                .select(functions.col(idColumn).cast("long"), functions.col(textColumn));
        JavaPairRDD<Long, byte[]> keyed = rows.javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0),
                r.isNullAt(1) ? new byte[0] : r.getString(1).getBytes(StandardCharsets.UTF_8)));
        return spread(keyed, partitions);
    }

    /** At least {@code partitions} partitions, each a range of line numbers in order. */
    public static <V> JavaPairRDD<Long, V> spread(JavaPairRDD<Long, V> rdd, int partitions) {
        return rdd.getNumPartitions() >= partitions ? rdd : rdd.sortByKey(true, partitions);
    }

    private static byte[] withoutCarriageReturn(Text line) {
        int n = line.getLength();
        if (n > 0 && line.getBytes()[n - 1] == '\r') {
            n--;
        }
        return Arrays.copyOf(line.getBytes(), n);
    }
}
