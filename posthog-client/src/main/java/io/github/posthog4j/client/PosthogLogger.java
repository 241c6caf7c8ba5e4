package io.github.posthog4j.client;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Captures log records with one method per severity, for example
 * {@code posthog.logger().info("ready", Map.of("region", "us"))}. Each call is the same
 * as {@link PosthogClient#captureLog(LogOptions)} with that severity: same gates, same
 * queue. Thread-safe; never throws, never blocks.
 */
public interface PosthogLogger {

    /**
     * Captures a record.
     * @param severity the severity
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    void log(LogSeverity severity, @Nullable String body, @Nullable Map<String, ?> attributes);

    /**
     * @param body the message
     */
    default void trace(@Nullable String body) {
        log(LogSeverity.TRACE, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void trace(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.TRACE, body, attributes);
    }

    /**
     * @param body the message
     */
    default void debug(@Nullable String body) {
        log(LogSeverity.DEBUG, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void debug(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.DEBUG, body, attributes);
    }

    /**
     * @param body the message
     */
    default void info(@Nullable String body) {
        log(LogSeverity.INFO, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void info(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.INFO, body, attributes);
    }

    /**
     * @param body the message
     */
    default void warn(@Nullable String body) {
        log(LogSeverity.WARN, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void warn(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.WARN, body, attributes);
    }

    /**
     * @param body the message
     */
    default void error(@Nullable String body) {
        log(LogSeverity.ERROR, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void error(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.ERROR, body, attributes);
    }

    /**
     * @param body the message
     */
    default void fatal(@Nullable String body) {
        log(LogSeverity.FATAL, body, null);
    }

    /**
     * @param body the message
     * @param attributes the attributes (copied), or null
     */
    default void fatal(@Nullable String body, @Nullable Map<String, ?> attributes) {
        log(LogSeverity.FATAL, body, attributes);
    }

}
