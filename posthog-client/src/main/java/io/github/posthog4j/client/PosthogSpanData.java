package io.github.posthog4j.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A finished span as {@link BeforeSpanSendHook}s see it: plain values, not the OTLP wire
 * encoding (an attribute {@code userId: 42} reads as the number 42). The name, kind,
 * status, attributes (the span's own and the context the client added:
 * {@code posthogDistinctId}, {@code sessionId}) and events can be changed. The ids, the
 * trace state and the times are read-only: a hook may use them (for example to sample
 * whole traces on a hash of the trace id), never change them; a hook that returns another
 * span's data keeps this span's ids.
 */
public final class PosthogSpanData {

    private final String traceId;

    private final String spanId;

    private final @Nullable String parentSpanId;

    private final @Nullable String traceState;

    private final Instant startTime;

    private final Instant endTime;

    private String name;

    private SpanKind kind;

    private SpanStatus status;

    private @Nullable String statusMessage;

    private Map<String, @Nullable Object> attributes;

    private List<Event> events;

    /**
     * Creates a view (the client builds these for its hooks).
     * @param traceId the trace id
     * @param spanId the span id
     * @param parentSpanId the parent span id, or null
     * @param traceState the W3C tracestate, or null
     * @param name the name
     * @param kind the kind
     * @param startTime the start
     * @param endTime the end
     * @param status the status
     * @param statusMessage the status description, or null
     * @param attributes the attributes (used as is, not copied)
     * @param events the events (used as is, not copied)
     */
    public PosthogSpanData(String traceId, String spanId, @Nullable String parentSpanId, @Nullable String traceState,
            String name, SpanKind kind, Instant startTime, Instant endTime, SpanStatus status,
            @Nullable String statusMessage, Map<String, @Nullable Object> attributes, List<Event> events) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.traceState = traceState;
        this.name = name;
        this.kind = kind;
        this.startTime = startTime;
        this.endTime = endTime;
        this.status = status;
        this.statusMessage = statusMessage;
        this.attributes = (attributes != null) ? attributes : new LinkedHashMap<>();
        this.events = (events != null) ? events : new ArrayList<>();
    }

    /**
     * @return the trace id (read-only)
     */
    public String traceId() {
        return this.traceId;
    }

    /**
     * @return the span id (read-only)
     */
    public String spanId() {
        return this.spanId;
    }

    /**
     * @return the parent span id (read-only), or null for a root span
     */
    public @Nullable String parentSpanId() {
        return this.parentSpanId;
    }

    /**
     * @return the W3C tracestate (read-only), or null
     */
    public @Nullable String traceState() {
        return this.traceState;
    }

    /**
     * @return when the span started (read-only)
     */
    public Instant startTime() {
        return this.startTime;
    }

    /**
     * @return when the span ended (read-only)
     */
    public Instant endTime() {
        return this.endTime;
    }

    /**
     * @return the name
     */
    public String name() {
        return this.name;
    }

    /**
     * @param name the new name (empty: {@code unknown})
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * @return the kind
     */
    public SpanKind kind() {
        return this.kind;
    }

    /**
     * @param kind the new kind (null: internal)
     */
    public void setKind(@Nullable SpanKind kind) {
        this.kind = (kind != null) ? kind : SpanKind.INTERNAL;
    }

    /**
     * @return the status
     */
    public SpanStatus status() {
        return this.status;
    }

    /**
     * @return the status description, or null
     */
    public @Nullable String statusMessage() {
        return this.statusMessage;
    }

    /**
     * @param status the new status (null: unset)
     * @param message its description, or null
     */
    public void setStatus(@Nullable SpanStatus status, @Nullable String message) {
        this.status = (status != null) ? status : SpanStatus.UNSET;
        this.statusMessage = message;
    }

    /**
     * @return the attributes, mutable (the designated place to scrub sensitive values)
     */
    public Map<String, @Nullable Object> attributes() {
        return this.attributes;
    }

    /**
     * @param attributes the new attributes (null: none)
     */
    public void setAttributes(@Nullable Map<String, @Nullable Object> attributes) {
        this.attributes = (attributes != null) ? attributes : new LinkedHashMap<>();
    }

    /**
     * @return the events, mutable
     */
    public List<Event> events() {
        return this.events;
    }

    /**
     * @param events the new events (null: none)
     */
    public void setEvents(@Nullable List<Event> events) {
        this.events = (events != null) ? events : new ArrayList<>();
    }

    @Override
    public String toString() {
        return "PosthogSpanData[name=" + this.name + ", traceId=" + this.traceId + ", spanId=" + this.spanId + "]";
    }

    /**
     * An event of a span.
     *
     * @param name the event name
     * @param timestamp when it happened
     * @param attributes its attributes
     */
    public record Event(String name, Instant timestamp, Map<String, @Nullable Object> attributes) {
    }

}
