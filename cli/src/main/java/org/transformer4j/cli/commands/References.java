package org.transformer4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.transformer4j.training.data.DataException;
import org.transformer4j.training.data.TextLines;

/** Reference files for BLEU and chrF (`translate --ref`, `eval --ref`): each read strictly, each aligned with the text it scores. */
final class References {

    private References() {
    }

    /** Reads every file; each must have {@code lines} lines, those of {@code scored}. */
    static List<List<String>> read(List<Path> files, int lines, Path scored) {
        List<List<String>> refs = new ArrayList<>();
        for (Path r : files) {
            List<String> text = TextLines.read(r);
            if (text.size() != lines) {
                throw new DataException(r + " has " + text.size() + " lines but " + scored + " has " + lines);
            }
            refs.add(text);
        }
        return refs;
    }
}
