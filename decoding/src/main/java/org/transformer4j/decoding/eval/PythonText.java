package org.transformer4j.decoding.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str.split()} without arguments, which sacreBLEU uses everywhere: split on runs of the
 * characters Python calls white space ({@code str.isspace}: Unicode category Zs, and the bidirectional classes
 * WS, B and S, which adds the ASCII control separators U+001C..U+001F and U+0085), dropping empty pieces. Java's
 * own notions differ (no-break spaces, U+0085), hence this class.
 */
final class PythonText {

    private PythonText() {
    }

    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.getType(cp) == Character.SPACE_SEPARATOR || cp == 0x85
                || cp == 0x2028 || cp == 0x2029;
    }

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** The string without any white space (chrF's default treatment of spaces). */
    static int[] codePointsWithoutSpaces(String s) {
        return s.codePoints().filter(cp -> !isSpace(cp)).toArray();
    }
}
