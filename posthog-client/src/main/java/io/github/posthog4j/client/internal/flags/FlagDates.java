package io.github.posthog4j.client.internal.flags;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date parsing for {@code is_date_before} / {@code is_date_after}, following PostHog's
 * rules.
 *
 * <p>
 * Relative values ({@code "-7d"}, {@code "1h"}, {@code "2w"}, {@code "3m"}, {@code "1y"};
 * the minus sign is optional and the amount must be below 10 000) count back from now.
 * Absolute values are ISO 8601 dates or date-times ({@code "2022-05-01"},
 * {@code "2022-04-05T12:34:12Z"}, {@code
 * "2022-04-05 12:34:12 +01:00"}, {@code "2022-04-05 12:34:12 UTC"}); a bare four-digit
 * year means that year on today's month and day. Values without an offset are UTC.
 */
final class FlagDates {

    private static final Pattern RELATIVE = Pattern.compile("^-?([0-9]+)([a-z])$");

    private static final Pattern YEAR_ONLY = Pattern.compile("\\d{4}");

    private static final Pattern SPACED_OFFSET = Pattern.compile(" ([+-]\\d{2}:\\d{2})$");

    private static final Pattern ISO = Pattern.compile("(\\d{4})(?:-(\\d{2})-(\\d{2})|(\\d{2})(\\d{2}))"
            + "(?:[T ](\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
            + "(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?)?)?");

    private FlagDates() {
    }

    /**
     * Parses a relative date ({@code "-7d"} etc.) counted back from {@code clock}'s now,
     * or returns {@code null} when the text is not a supported relative date.
     */
    static OffsetDateTime parseRelative(String value, Clock clock) {
        Matcher m = RELATIVE.matcher(value);
        if (!m.find()) {
            return null;
        }
        String digits = m.group(1);
        String stripped = digits.replaceFirst("^0+(?=.)", "");
        if (stripped.length() > 5 || Integer.parseInt(stripped) >= 10_000) {
            return null;
        }
        int number = Integer.parseInt(stripped);
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        OffsetDateTime result;
        switch (m.group(2)) {
            case "h" -> result = now.minusHours(number);
            case "d" -> result = now.minusDays(number);
            case "w" -> result = now.minusWeeks(number);
            case "m" -> result = now.minusMonths(number);
            case "y" -> result = now.minusYears(number);
            default -> {
                return null;
            }
        }
        return result.getYear() < 1 || result.getYear() > 9999 ? null : result;
    }

    /**
     * Parses an absolute date or date-time; date-only and offset-less values are taken as
     * UTC.
     * @throws DateTimeException if the text is not a supported format
     */
    static OffsetDateTime parseAbsolute(String value, Clock clock) {
        String text = value.strip();
        if (text.endsWith("Z")) {
            text = text.substring(0, text.length() - 1) + "+00:00";
        }
        else if (text.toUpperCase(java.util.Locale.ROOT).endsWith(" UTC")) {
            text = text.substring(0, text.length() - 4) + "+00:00";
        }
        else if (YEAR_ONLY.matcher(text).matches()) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            int year = Integer.parseInt(text);
            if (year < 1) {
                throw new DateTimeException("Year out of range: " + value);
            }
            // Like Python, Feb 29 of a non-leap year is an error rather than clamped.
            return LocalDate.of(year, today.getMonth(), today.getDayOfMonth()).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        text = SPACED_OFFSET.matcher(text).replaceFirst("$1");
        Matcher m = ISO.matcher(text);
        if (!m.matches()) {
            throw new DateTimeException("Unsupported date format: " + value);
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1) {
            throw new DateTimeException("Year out of range: " + value);
        }
        int month = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(4));
        int day = Integer.parseInt(m.group(3) != null ? m.group(3) : m.group(5));
        LocalDate date = LocalDate.of(year, month, day);
        LocalTime time = LocalTime.MIDNIGHT;
        if (m.group(6) != null) {
            int hour = Integer.parseInt(m.group(6));
            int minute = m.group(7) != null ? Integer.parseInt(m.group(7)) : 0;
            int second = m.group(8) != null ? Integer.parseInt(m.group(8)) : 0;
            int nanos = 0;
            if (m.group(9) != null) {
                String fraction = (m.group(9) + "000000000").substring(0, 9);
                // Python keeps microseconds only.
                nanos = Integer.parseInt(fraction) / 1000 * 1000;
            }
            time = LocalTime.of(hour, minute, second, nanos);
        }
        ZoneOffset offset = m.group(10) != null ? parseOffset(m.group(10)) : ZoneOffset.UTC;
        return OffsetDateTime.of(date, time, offset);
    }

    private static ZoneOffset parseOffset(String text) {
        if (text.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int sign = text.charAt(0) == '-' ? -1 : 1;
        String digits = text.substring(1).replace(":", "");
        int dot = digits.indexOf('.');
        if (dot >= 0) {
            digits = digits.substring(0, dot);
        }
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
        int seconds = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60 + seconds));
    }

    /**
     * A caller-supplied date-like property value as an instant-bearing date-time, or
     * {@code null} when it is a calendar date ({@link LocalDate}) or not a date type at
     * all. Offset-less values are taken as UTC.
     */
    static OffsetDateTime asDateTime(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof ZonedDateTime zdt) {
            return zdt.toOffsetDateTime();
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Date date) {
            return date.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }

}
