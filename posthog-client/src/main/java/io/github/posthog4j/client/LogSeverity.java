package io.github.posthog4j.client;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The severity of a log record ({@link PosthogClient#captureLog}), with the OpenTelemetry
 * severity number PostHog receives: {@code TRACE} 1, {@code DEBUG} 5, {@code INFO} 9,
 * {@code WARN} 13, {@code ERROR} 17, {@code FATAL} 21.
 */
public enum LogSeverity {

    /** Severity number 1. */
    TRACE(1),

    /** Severity number 5. */
    DEBUG(5),

    /** Severity number 9: the severity of a record captured without one. */
    INFO(9),

    /** Severity number 13. */
    WARN(13),

    /** Severity number 17. */
    ERROR(17),

    /** Severity number 21. */
    FATAL(21);

    private final int number;

    LogSeverity(int number) {
        this.number = number;
    }

    /**
     * @return the OpenTelemetry severity number, always positive
     */
    public int number() {
        return this.number;
    }

    /**
     * @return the severity text as sent, upper case (e.g. {@code WARN})
     */
    public String text() {
        return name();
    }

    /**
     * Reads a level name in any case ({@code "warn"}, {@code "WARNING"}, {@code "error"},
     * ...). An unknown or missing level is {@link #INFO}, as the logs specification asks.
     * @param level the level name, or null
     * @return the severity
     */
    public static LogSeverity of(@Nullable String level) {
        if (level == null) {
            return INFO;
        }
        return switch (level.strip().toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST", "FINER" -> TRACE;
            case "DEBUG", "FINE", "CONFIG" -> DEBUG;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "SEVERE" -> ERROR;
            case "FATAL", "CRITICAL" -> FATAL;
            default -> INFO;
        };
    }

}
