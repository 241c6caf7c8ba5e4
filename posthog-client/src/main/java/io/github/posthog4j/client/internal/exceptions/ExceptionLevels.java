package io.github.posthog4j.client.internal.exceptions;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostHog's canonical exception levels and the native severity names that map to them.
 * Internal API.
 */
public final class ExceptionLevels {

    private static final Map<String, String> LEVELS = Map.ofEntries(Map.entry("fatal", "fatal"),
            Map.entry("critical", "fatal"), Map.entry("alert", "fatal"), Map.entry("emergency", "fatal"),
            Map.entry("error", "error"), Map.entry("warning", "warning"), Map.entry("warn", "warning"),
            Map.entry("log", "log"), Map.entry("notice", "info"), Map.entry("info", "info"),
            Map.entry("debug", "debug"), Map.entry("trace", "debug"));

    private ExceptionLevels() {
    }

    /**
     * @param level a severity name, in any case
     * @return its canonical level ({@code fatal}, {@code error}, {@code warning},
     * {@code log}, {@code info}, {@code debug}), or null when it is not a recognised name
     */
    public static @Nullable String normalize(@Nullable Object level) {
        if (!(level instanceof String s)) {
            return null;
        }
        return LEVELS.get(s.strip().toLowerCase(Locale.ROOT));
    }

}
