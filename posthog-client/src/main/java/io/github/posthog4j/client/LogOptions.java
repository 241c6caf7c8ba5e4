package io.github.posthog4j.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A log record to capture with {@link PosthogClient#captureLog(LogOptions)}: a body
 * (required) and optionally a severity (default {@link LogSeverity#INFO}), attributes,
 * and the trace context it belongs to. Immutable; build one with
 * {@link #builder(String)}.
 *
 * <pre>{@code
 * posthog.captureLog(LogOptions.builder("checkout failed")
 *         .severity(LogSeverity.ERROR)
 *         .attribute("order_id", orderId)
 *         .build());
 * }</pre>
 */
public final class LogOptions {

    private final @Nullable String body;

    private final LogSeverity severity;

    private final Map<String, @Nullable Object> attributes;

    private final @Nullable String traceId;

    private final @Nullable String spanId;

    private final @Nullable Integer traceFlags;

    private LogOptions(Builder b) {
        this.body = b.body;
        this.severity = b.severity;
        // the builder's map is handed over, not copied: the builder copies it before its
        // next change (a log appender builds one record per line)
        this.attributes = b.attributes.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(b.attributes);
        b.shared = !b.attributes.isEmpty();
        this.traceId = b.traceId;
        this.spanId = b.spanId;
        this.traceFlags = b.traceFlags;
    }

    /**
     * Starts a log record.
     * @param body the message; a null, empty or blank body drops the record
     * @return a builder
     */
    public static Builder builder(@Nullable String body) {
        return new Builder(body);
    }

    /**
     * @return the message, or null
     */
    public @Nullable String body() {
        return this.body;
    }

    /**
     * @return the severity
     */
    public LogSeverity severity() {
        return this.severity;
    }

    /**
     * @return the attributes, unmodifiable
     */
    public Map<String, @Nullable Object> attributes() {
        return this.attributes;
    }

    /**
     * @return the trace id (32 lowercase hex characters), or null for the active span's
     * (or none)
     */
    public @Nullable String traceId() {
        return this.traceId;
    }

    /**
     * @return the span id (16 lowercase hex characters), or null for the active span's
     * (or none)
     */
    public @Nullable String spanId() {
        return this.spanId;
    }

    /**
     * @return the W3C trace flags, sent as {@code flags}, or null to leave them out
     */
    public @Nullable Integer traceFlags() {
        return this.traceFlags;
    }

    @Override
    public String toString() {
        // the body and the attribute values are user data: not shown
        return "LogOptions[severity=" + this.severity + ", attributes=" + this.attributes.keySet() + "]";
    }

    /** Builds {@link LogOptions}. Not thread-safe. */
    public static final class Builder {

        private final @Nullable String body;

        private LogSeverity severity = LogSeverity.INFO;

        private Map<String, @Nullable Object> attributes = new LinkedHashMap<>();

        /** Whether a built {@link LogOptions} holds {@link #attributes}. */
        private boolean shared;

        private @Nullable String traceId;

        private @Nullable String spanId;

        private @Nullable Integer traceFlags;

        private Builder(@Nullable String body) {
            this.body = body;
        }

        /**
         * Sets the severity.
         * @param severity the severity; null means {@link LogSeverity#INFO}
         * @return this builder
         */
        public Builder severity(@Nullable LogSeverity severity) {
            this.severity = (severity != null) ? severity : LogSeverity.INFO;
            return this;
        }

        /**
         * Sets the severity by name ({@code "error"}, {@code "WARN"}, ...); an unknown
         * name is {@link LogSeverity#INFO}.
         * @param level the level name
         * @return this builder
         */
        public Builder level(@Nullable String level) {
            this.severity = LogSeverity.of(level);
            return this;
        }

        /**
         * Adds an attribute: a string, boolean, number, array, collection or map of
         * those; other values are sent as their {@code toString()}. A null value leaves
         * the key out.
         * @param key the attribute name
         * @param value the value
         * @return this builder
         */
        public Builder attribute(String key, @Nullable Object value) {
            if (key != null) {
                if (this.shared) {
                    this.attributes = new LinkedHashMap<>(this.attributes);
                    this.shared = false;
                }
                this.attributes.put(key, value);
            }
            return this;
        }

        /**
         * Adds attributes (copied; see {@link #attribute(String, Object)}).
         * @param values the attributes; null is ignored
         * @return this builder
         */
        public Builder attributes(@Nullable Map<String, ?> values) {
            if (values != null) {
                values.forEach(this::attribute);
            }
            return this;
        }

        /**
         * Sets the trace the record belongs to; without it, the record carries the ids of
         * the client's active span ({@link PosthogClient#getActiveSpan()}), if any.
         * @param traceId 32 lowercase hex characters; another value is left out
         * @return this builder
         */
        public Builder traceId(@Nullable String traceId) {
            this.traceId = traceId;
            return this;
        }

        /**
         * Sets the span the record belongs to.
         * @param spanId 16 lowercase hex characters; another value is left out
         * @return this builder
         */
        public Builder spanId(@Nullable String spanId) {
            this.spanId = spanId;
            return this;
        }

        /**
         * Sets the W3C trace flags, sent as the record's {@code flags}.
         * @param traceFlags the flags (0 to 255); null leaves them out
         * @return this builder
         */
        public Builder traceFlags(@Nullable Integer traceFlags) {
            this.traceFlags = traceFlags;
            return this;
        }

        /**
         * @return the options
         */
        public LogOptions build() {
            return new LogOptions(this);
        }

    }

}
