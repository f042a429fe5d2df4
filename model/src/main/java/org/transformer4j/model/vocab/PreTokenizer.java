package org.transformer4j.model.vocab;

import java.util.List;

/**
 * Splits a text into the pieces that BPE encodes one at a time, exactly as the Hugging Face library does with
 * the tokenizer.json we write:
 * <ol>
 * <li>A special token spelled out in the raw text ({@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>})
 * is cut out and becomes its id (the library matches added tokens before normalising).</li>
 * <li>Each stretch between them is normalised on its own ({@link TextNormalization}).</li>
 * <li>Metaspace, SentencePiece style: spaces become {@code ▁} (U+2581), a {@code ▁} is put in front unless the
 * stretch already starts with one, and the stretch is split before every {@code ▁}, so that "la casa" gives
 * the words "▁la" and "▁casa".</li>
 * </ol>
 * Both the trainer (to count words) and the tokenizer (to encode) use this class, so they can never disagree.
 */
final class PreTokenizer {

    /** Where the pieces go, in text order. */
    interface Sink {
        void special(int id);

        void word(String word);
    }

    static final char METASPACE = '\u2581';

    private PreTokenizer() {
    }

    static void split(String text, Sink sink) {
        List<String> specials = Tokenizer.SPECIAL_TOKENS;
        int start = 0;
        while (true) {
            int at = -1;
            int special = -1;
            if (text.indexOf('<', start) >= 0) {
                for (int id = 0; id < specials.size(); id++) {
                    int found = text.indexOf(specials.get(id), start);
                    if (found >= 0 && (at < 0 || found < at)) {
                        at = found;
                        special = id;
                    }
                }
            }
            words(text.substring(start, at < 0 ? text.length() : at), sink);
            if (at < 0) {
                return;
            }
            sink.special(special);
            start = at + specials.get(special).length();
        }
    }

    private static void words(String stretch, Sink sink) {
        String normalized = TextNormalization.normalize(stretch);
        if (normalized.isEmpty()) {
            return;
        }
        String spaced = normalized.replace(' ', METASPACE);
        if (spaced.charAt(0) != METASPACE) {
            spaced = METASPACE + spaced;
        }
        int wordStart = 0;
        for (int i = 1; i < spaced.length(); i++) {
            if (spaced.charAt(i) == METASPACE) {
                sink.word(spaced.substring(wordStart, i));
                wordStart = i;
            }
        }
        sink.word(spaced.substring(wordStart));
    }
}
