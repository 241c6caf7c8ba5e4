package io.github.posthog4j.client.internal;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the {@code Retry-After} header: delay-seconds or an HTTP-date. */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * @param header the header value, may be null
     * @param nowMillis the current time, for HTTP-dates
     * @return the delay (never negative), or null when absent or unparseable
     */
    static @Nullable Duration parse(@Nullable String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            double seconds = Double.parseDouble(value);
            if (Double.isNaN(seconds) || seconds < 0) {
                return null;
            }
            return Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2));
        }
        catch (NumberFormatException ignored) {
            // not a number: try a date
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            long delay = when.toInstant().toEpochMilli() - nowMillis;
            return Duration.ofMillis(Math.max(0, delay));
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }

}
