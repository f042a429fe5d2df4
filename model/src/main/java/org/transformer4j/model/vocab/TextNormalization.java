package org.transformer4j.model.vocab;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The normalisation every text goes through before it is split into words, the same steps that the
 * tokenizer.json normalizer asks of the Hugging Face library: Unicode NFC; every run of white space becomes one
 * space; leading and trailing spaces are removed.
 *
 * <p>"White space" is the Unicode White_Space property, which is what {@code \s} means to the library's regex
 * engine (Oniguruma, on UTF-8): tab, line feed and the other ASCII controls 0x09..0x0D, U+0085, the no-break
 * and ideographic spaces, U+2028 and U+2029. It is not {@link Character#isWhitespace}, which counts the
 * separators U+001C..U+001F and skips the no-break spaces.
 */
final class TextNormalization {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private TextNormalization() {
    }

    static String normalize(String text) {
        String nfc = Normalizer.normalize(withoutLoneSurrogates(text), Normalizer.Form.NFC);
        String spaced = WHITE_SPACE.matcher(nfc).replaceAll(" ");
        int start = 0;
        int end = spaced.length();
        while (start < end && spaced.charAt(start) == ' ') {
            start++;
        }
        while (end > start && spaced.charAt(end - 1) == ' ') {
            end--;
        }
        return spaced.substring(start, end);
    }

    /**
     * A Java string may hold a surrogate without its partner, which has no UTF-8 form (and so no byte tokens and
     * no place in a JSON vocabulary): it becomes U+FFFD, the replacement character.
     */
    private static String withoutLoneSurrogates(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (lone && fixed == null) {
                fixed = new StringBuilder(text.substring(0, i));
            }
            if (fixed != null) {
                fixed.append(lone ? '\uFFFD' : c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}
