package org.transformer4j.cli.options;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, or ISO {@code PT30M}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PARTS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt")) {
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 30m, 2h, 1h30m)");
            }
        }
        Matcher m = PARTS.matcher(v);
        if (v.isEmpty() || !m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 30m, 2h, 1h30m)");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusHours(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(3)));
        }
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' is no time at all");
        }
        return d;
    }
}
