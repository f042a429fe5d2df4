package org.transformer4j.training.data;

import java.nio.file.Path;
import java.util.List;


/**
 * Aligned source and target sentences: line n of one file translates line n of the other.
 *
 * @param name a short description for messages ("train.es / train.en")
 */
public record ParallelText(String name, List<String> source, List<String> target) {

    public ParallelText {
        source = List.copyOf(source);
        target = List.copyOf(target);
    }

    /** Reads two aligned UTF-8 files, refusing missing, empty or mismatched ones with a clear message. */
    public static ParallelText read(Path sourceFile, Path targetFile) {
        return of(sourceFile.toString(), TextLines.read(sourceFile), targetFile.toString(), TextLines.read(targetFile));
    }

    /** Checks two already-read sides. */
    public static ParallelText of(String sourceName, List<String> source, String targetName, List<String> target) {
        if (source.isEmpty()) {
            throw new DataException(sourceName + " is empty");
        }
        if (target.isEmpty()) {
            throw new DataException(targetName + " is empty");
        }
        if (source.size() != target.size()) {
            throw new DataException(sourceName + " has " + source.size() + " lines but " + targetName + " has "
                    + target.size() + ": the files must be aligned line by line");
        }
        return new ParallelText(sourceName + " / " + targetName, source, target);
    }

    public int size() {
        return source.size();
    }
}
