package org.transformer4j.spark;

/**
 * What a translate job reads.
 *
 * @param path       a file, directory or glob on any file system Hadoop reads (local, HDFS, S3...)
 * @param parquet    Parquet with an id and a text column instead of UTF-8 text, one sentence per line
 * @param idColumn   Parquet: the integral column that keys each row (its "line number" in the output)
 * @param textColumn Parquet: the string column to translate
 */
public record InputSpec(String path, boolean parquet, String idColumn, String textColumn) {

    public static InputSpec text(String path) {
        return new InputSpec(path, false, null, null);
    }

    public static InputSpec parquet(String path, String idColumn, String textColumn) {
        return new InputSpec(path, true, idColumn, textColumn);
    }
}
