package io.github.posthog4j.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A mutable view of a log record, as {@link BeforeSendLogHook}s see it: the body, the
 * severity, the attributes (the record's own and the context the client added:
 * {@code posthogDistinctId}, {@code sessionId}) and the trace context. A hook may change
 * any of them; a null or blank body drops the record.
 */
public final class PosthogLogRecord {

    private @Nullable String body;

    private LogSeverity severity;

    private Map<String, @Nullable Object> attributes;

    private @Nullable String traceId;

    private @Nullable String spanId;

    private @Nullable Integer traceFlags;

    private final Instant timestamp;

    /**
     * Creates a view.
     * @param body the message
     * @param severity the severity
     * @param attributes the attributes (used as is, not copied)
     * @param traceId the trace id, or null
     * @param spanId the span id, or null
     * @param traceFlags the trace flags, or null
     * @param timestamp when the record was captured
     */
    public PosthogLogRecord(@Nullable String body, LogSeverity severity,
            @Nullable Map<String, @Nullable Object> attributes, @Nullable String traceId, @Nullable String spanId,
            @Nullable Integer traceFlags, Instant timestamp) {
        this.body = body;
        this.severity = (severity != null) ? severity : LogSeverity.INFO;
        this.attributes = (attributes != null) ? attributes : new LinkedHashMap<>();
        this.traceId = traceId;
        this.spanId = spanId;
        this.traceFlags = traceFlags;
        this.timestamp = timestamp;
    }

    /**
     * @return the message
     */
    public @Nullable String body() {
        return this.body;
    }

    /**
     * @param body the new message; null or blank drops the record
     */
    public void setBody(@Nullable String body) {
        this.body = body;
    }

    /**
     * @return the severity
     */
    public LogSeverity severity() {
        return this.severity;
    }

    /**
     * @param severity the new severity (null means {@link LogSeverity#INFO})
     */
    public void setSeverity(@Nullable LogSeverity severity) {
        this.severity = (severity != null) ? severity : LogSeverity.INFO;
    }

    /**
     * @return the attributes, mutable
     */
    public Map<String, @Nullable Object> attributes() {
        return this.attributes;
    }

    /**
     * @param attributes the new attributes (null means none)
     */
    public void setAttributes(@Nullable Map<String, @Nullable Object> attributes) {
        this.attributes = (attributes != null) ? attributes : new LinkedHashMap<>();
    }

    /**
     * @return the trace id, or null
     */
    public @Nullable String traceId() {
        return this.traceId;
    }

    /**
     * @param traceId the new trace id (32 lowercase hex characters), or null
     */
    public void setTraceId(@Nullable String traceId) {
        this.traceId = traceId;
    }

    /**
     * @return the span id, or null
     */
    public @Nullable String spanId() {
        return this.spanId;
    }

    /**
     * @param spanId the new span id (16 lowercase hex characters), or null
     */
    public void setSpanId(@Nullable String spanId) {
        this.spanId = spanId;
    }

    /**
     * @return the trace flags, or null
     */
    public @Nullable Integer traceFlags() {
        return this.traceFlags;
    }

    /**
     * @param traceFlags the new trace flags, or null
     */
    public void setTraceFlags(@Nullable Integer traceFlags) {
        this.traceFlags = traceFlags;
    }

    /**
     * @return when the record was captured (read-only)
     */
    public Instant timestamp() {
        return this.timestamp;
    }

    @Override
    public String toString() {
        return "PosthogLogRecord[severity=" + this.severity + ", attributes=" + this.attributes.keySet() + "]";
    }

}
