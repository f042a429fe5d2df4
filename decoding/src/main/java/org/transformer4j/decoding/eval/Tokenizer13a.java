package org.transformer4j.decoding.eval;

import java.util.regex.Pattern;

/**
 * sacreBLEU's default tokenizer, {@code 13a} (the one of mteval-v13a.pl, WMT's official scorer), rule for rule:
 * drop {@code <skipped>}, join lines, unescape four HTML entities, put spaces around punctuation and symbols,
 * split periods and commas from words unless they sit between digits, split a dash after a digit, and collapse
 * white space.
 */
public final class Tokenizer13a {

    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    public static String tokenize(String line) {
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.contains("&")) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        s = " " + s + " ";
        s = SYMBOLS.matcher(s).replaceAll(" $1 ");
        s = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(s).replaceAll("$1 $2 ");
        s = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
        s = DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
        return String.join(" ", PythonText.split(s));
    }
}
