package org.transformer4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.spark.sql.SparkSession;
import org.transformer4j.spark.executor.ModelSpec;

/**
 * The model as the executors will find it: read in place, or shipped with the job. Spark ships no local
 * directory to a cluster ({@code addFile} of one is refused outside local mode), so the driver zips the model
 * directory's files and adds the zip as an archive ({@code SparkContext.addArchive}), which every executor unpacks
 * under the directory's name, found with {@code SparkFiles.get}.
 */
final class ShippedModel {

    /** The zip made for each model directory in this driver: a second job ships the same archive, not a new one. */
    private static final Map<Path, Path> ZIPPED = new HashMap<>();

    private ShippedModel() {
    }

    /**
     * Checks the driver's copy of the model and, when {@code spec.shipped()}, adds it to the job as an archive;
     * returns the spec the executors get.
     */
    static ModelSpec prepare(SparkSession spark, ModelSpec spec) {
        SetupChecks.beforeSpark(spec);
        if (!spec.shipped()) {
            return spec;
        }
        Path dir = Path.of(spec.modelDir()).toAbsolutePath().normalize();
        String name = dir.getFileName().toString();
        Path zip;
        synchronized (ZIPPED) {
            zip = ZIPPED.get(dir);
            if (zip == null || !Files.exists(zip) || changedSince(dir, zip)) {
                zip = zip(dir, name);
                ZIPPED.put(dir, zip);
            }
        }
        spark.sparkContext().addArchive(zip.toUri() + "#" + name);
        return new ModelSpec(name, true, spec.backend(), spec.backendProperties(), spec.threads(), spec.batchSize(),
                spec.maxSourceTokens());
    }

    /** Whether a file of {@code dir} was written after {@code zip} (a model that went on training). */
    private static boolean changedSince(Path dir, Path zip) {
        try (Stream<Path> s = Files.list(dir)) {
            long zipped = Files.getLastModifiedTime(zip).toMillis();
            return s.anyMatch(f -> f.toFile().lastModified() > zipped);
        } catch (IOException e) {
            return true;
        }
    }

    /** The regular files at the top of {@code dir} (a model directory; its checkpoints/ stay home), zipped. */
    private static Path zip(Path dir, String name) {
        try {
            Path zip = Files.createTempDirectory("t4j-model-").resolve(name + ".zip");
            zip.toFile().deleteOnExit();
            zip.getParent().toFile().deleteOnExit();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
                for (Path f : files) {
                    z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    Files.copy(f, z);
                    z.closeEntry();
                }
            }
            return zip;
        } catch (IOException e) {
            throw new JobSetupException("cannot pack the model directory " + dir + " to ship it: " + e.getMessage());
        }
    }
}
