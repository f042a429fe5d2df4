package org.transformer4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.transformer4j.api.Backends;
import org.transformer4j.model.TransformerConfig;
import org.transformer4j.model.io.CheckpointException;
import org.transformer4j.model.io.ModelStore;
import org.transformer4j.model.vocab.Vocabularies;
import org.transformer4j.spark.executor.ModelSpec;

/**
 * What the driver checks before any task starts, so that a job that cannot work fails with one clear line
 * instead of a task failing four times on every executor.
 */
public final class SetupChecks {

    private SetupChecks() {
    }

    /** The checks that need no Spark: the backend's name and the model directory. */
    public static void beforeSpark(ModelSpec spec) {
        Backends.provider(spec.backend()); // an unknown name fails here, listing the known ones, not in every task
        model(spec.modelDir());
    }

    /** The model directory exists, has a model, and its vocabulary files match the model's vocabulary sizes. */
    public static void model(String dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            throw new JobSetupException("model directory " + dir + " not found");
        }
        try {
            TransformerConfig config = ModelStore.readConfig(p).config();
            if (!Files.isRegularFile(p.resolve(ModelStore.WEIGHTS_FILE))) {
                throw new JobSetupException(dir + " has no " + ModelStore.WEIGHTS_FILE + ": it is not a trained model");
            }
            Vocabularies v = Vocabularies.read(p);
            if (config.srcVocabSize() != v.source().size() || config.tgtVocabSize() != v.target().size()) {
                throw new JobSetupException("the vocabulary of " + dir + " does not match its model: the model has "
                        + config.srcVocabSize() + " source and " + config.tgtVocabSize() + " target tokens, the"
                        + " tokenizer " + v.source().size() + " and " + v.target().size());
            }
        } catch (CheckpointException e) {
            throw new JobSetupException(e.getMessage());
        }
    }

    /** The input exists (a file, a directory or a glob that matches something). */
    static void input(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] found = fs.globStatus(p);
            if (found == null || found.length == 0) {
                throw new JobSetupException("input " + path + " not found");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new JobSetupException("cannot read input " + path + ": " + e.getMessage());
        }
    }

    /** The output does not exist yet, unless it may be replaced. */
    static void output(SparkSession spark, String path, boolean overwrite) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!overwrite && fs.exists(p)) {
                throw new JobSetupException("output " + path + " exists: add --overwrite to replace it, or choose"
                        + " another --output");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new JobSetupException("cannot check output " + path + ": " + e.getMessage());
        }
    }
}
