package org.transformer4j.training.data;

/**
 * The Spanish→English Bible corpus shipped inside the project (gzip resources): the train split (58 books,
 * 30,388 verse pairs) and the dev split (Esther and 2 Thessalonians, 214 pairs). The test books are held out
 * and not included. Public domain; see the README next to the files.
 */
public final class BundledCorpus {

    private static final String ROOT = "/org/transformer4j/training/corpus/bible-es-en/";

    private BundledCorpus() {
    }

    public static ParallelText train() {
        return read("train");
    }

    public static ParallelText dev() {
        return read("dev");
    }

    private static ParallelText read(String split) {
        String es = split + ".es";
        String en = split + ".en";
        return ParallelText.of("bundled " + es, TextLines.readResource(ROOT + es + ".gz", "bundled " + es),
                "bundled " + en, TextLines.readResource(ROOT + en + ".gz", "bundled " + en));
    }
}
