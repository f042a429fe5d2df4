package org.transformer4j.training.vocab;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Text normalisation and pre-tokenisation, exactly as the {@code tokenizer.json} we write tells the Hugging
 * Face library to do them:
 * <ol>
 *   <li>Unicode NFC;</li>
 *   <li>every run of whitespace becomes one space; leading and trailing whitespace is removed;</li>
 *   <li>Metaspace (SentencePiece style): spaces become {@code ▁} (U+2581), a {@code ▁} is prepended, and the
 *       text is split before each {@code ▁}, so {@code "Dijo Dios"} gives the words {@code ▁Dijo} and
 *       {@code ▁Dios}.</li>
 * </ol>
 * Decoding undoes step 3, so a sentence comes back as its normalised text.
 */
public final class Normalizer {

    /** The word-boundary marker, U+2581 LOWER ONE EIGHTH BLOCK. */
    public static final char SPACE_MARK = '\u2581';

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private Normalizer() {
    }

    /** Steps 1 and 2: NFC, whitespace runs to one space, trimmed. */
    public static String normalize(String text) {
        String nfc = java.text.Normalizer.normalize(text, Form.NFC);
        return WHITESPACE.matcher(nfc).replaceAll(" ").strip();
    }

    /** Step 3 on normalised text: the words, each starting with {@link #SPACE_MARK}. Empty text has none. */
    public static List<String> words(String normalized) {
        List<String> words = new ArrayList<>();
        if (normalized.isEmpty()) {
            return words;
        }
        String marked = SPACE_MARK + normalized.replace(' ', SPACE_MARK);
        int start = 0;
        for (int i = 1; i < marked.length(); i++) {
            if (marked.charAt(i) == SPACE_MARK) {
                words.add(marked.substring(start, i));
                start = i;
            }
        }
        words.add(marked.substring(start));
        return words;
    }
}
