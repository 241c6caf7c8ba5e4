package io.github.posthog4j.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to start a span ({@link PosthogClient#startSpan(String, SpanOptions)},
 * {@link PosthogClient#withSpan(String, SpanOptions, SpanCallback)}): its kind, first
 * attributes, parent, and a start time for backdating. Immutable; build one with
 * {@link #builder()}.
 *
 * <p>
 * The parent is, in order: the one given here (a span, or a W3C {@code traceparent}
 * string to continue a remote trace), else the client's active span on this thread, else
 * none (a new trace).
 */
public final class SpanOptions {

    private static final SpanOptions NONE = builder().build();

    private final SpanKind kind;

    private final Map<String, @Nullable Object> attributes;

    private final @Nullable PosthogSpan parentSpan;

    private final @Nullable String traceparent;

    private final @Nullable String tracestate;

    private final @Nullable Instant startTime;

    private final @Nullable String traceId;

    private final @Nullable String spanId;

    private final @Nullable String parentSpanId;

    private SpanOptions(Builder b) {
        this.kind = b.kind;
        this.attributes = b.attributes.isEmpty() ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.parentSpan = b.parentSpan;
        this.traceparent = b.traceparent;
        this.tracestate = b.tracestate;
        this.startTime = b.startTime;
        this.traceId = b.traceId;
        this.spanId = b.spanId;
        this.parentSpanId = b.parentSpanId;
    }

    /**
     * @return options with every default: an internal span, parented to the active span
     */
    public static SpanOptions none() {
        return NONE;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the kind
     */
    public SpanKind kind() {
        return this.kind;
    }

    /**
     * @return the first attributes, unmodifiable
     */
    public Map<String, @Nullable Object> attributes() {
        return this.attributes;
    }

    /**
     * @return the parent span, or null
     */
    public @Nullable PosthogSpan parentSpan() {
        return this.parentSpan;
    }

    /**
     * @return the parent as a W3C {@code traceparent}, or null
     */
    public @Nullable String traceparent() {
        return this.traceparent;
    }

    /**
     * @return the W3C {@code tracestate} that came with {@link #traceparent()}, or null
     */
    public @Nullable String tracestate() {
        return this.tracestate;
    }

    /**
     * @return the start time, or null for now
     */
    public @Nullable Instant startTime() {
        return this.startTime;
    }

    /**
     * @return the trace id to use (a bridge mirroring another tracer), or null
     */
    public @Nullable String traceId() {
        return this.traceId;
    }

    /**
     * @return the span id to use (a bridge mirroring another tracer), or null
     */
    public @Nullable String spanId() {
        return this.spanId;
    }

    /**
     * @return the parent span id to use (a bridge mirroring another tracer), or null
     */
    public @Nullable String parentSpanId() {
        return this.parentSpanId;
    }

    @Override
    public String toString() {
        return "SpanOptions[kind=" + this.kind.tag() + ", attributes=" + this.attributes.keySet() + "]";
    }

    /** Builds {@link SpanOptions}. Not thread-safe. */
    public static final class Builder {

        private SpanKind kind = SpanKind.INTERNAL;

        private final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();

        private @Nullable PosthogSpan parentSpan;

        private @Nullable String traceparent;

        private @Nullable String tracestate;

        private @Nullable Instant startTime;

        private @Nullable String traceId;

        private @Nullable String spanId;

        private @Nullable String parentSpanId;

        private Builder() {
        }

        /**
         * @param kind the kind (null: {@link SpanKind#INTERNAL})
         * @return this builder
         */
        public Builder kind(@Nullable SpanKind kind) {
            this.kind = (kind != null) ? kind : SpanKind.INTERNAL;
            return this;
        }

        /**
         * Adds a first attribute (see {@link PosthogSpan#setAttribute(String, Object)}).
         * @param key the name
         * @param value the value
         * @return this builder
         */
        public Builder attribute(String key, @Nullable Object value) {
            if (key != null) {
                this.attributes.put(key, value);
            }
            return this;
        }

        /**
         * Adds first attributes (copied).
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
         * Parents the span to another span (instead of the active one). A child of a
         * no-op span is itself a no-op. The child inherits the parent's tracestate.
         * @param parent the parent span, or null for the default
         * @return this builder
         */
        public Builder parent(@Nullable PosthogSpan parent) {
            this.parentSpan = parent;
            this.traceparent = null;
            return this;
        }

        /**
         * Continues a remote trace: the span gets the trace id of the W3C
         * {@code traceparent} header value and its span as parent, whatever its sampled
         * flag. An invalid value is ignored (the span starts a new trace).
         * @param traceparent the incoming {@code traceparent}, e.g.
         * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}
         * @return this builder
         */
        public Builder parent(@Nullable String traceparent) {
            this.traceparent = traceparent;
            this.parentSpan = null;
            return this;
        }

        /**
         * Sets the W3C {@code tracestate} that came with the {@link #parent(String)
         * traceparent}: kept as is, sent as the span's {@code traceState}, inherited by
         * its children. Ignored without a traceparent parent; an invalid value is dropped
         * (the traceparent is still used).
         * @param tracestate the incoming {@code tracestate}
         * @return this builder
         */
        public Builder tracestate(@Nullable String tracestate) {
            this.tracestate = tracestate;
            return this;
        }

        /**
         * Backdates the span. A value out of range (before 1970, after 2262) is replaced
         * by now; a value more than 24 hours old is kept, but PostHog clamps it.
         * @param startTime when the operation started, or null for now
         * @return this builder
         */
        public Builder startTime(@Nullable Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /**
         * Mirrors a span of another tracer (a bridge, such as the starter's Micrometer
         * bridge, reusing Micrometer Tracing's ids so that logs, traces and events line
         * up): the span takes these ids instead of generating them. Invalid ids are
         * ignored: a trace id is 32 and a span id 16 lowercase hex characters, not all
         * zero.
         * @param traceId the trace id
         * @param spanId the span id
         * @param parentSpanId the parent span id, or null for a root span
         * @return this builder
         */
        public Builder context(@Nullable String traceId, @Nullable String spanId, @Nullable String parentSpanId) {
            this.traceId = traceId;
            this.spanId = spanId;
            this.parentSpanId = parentSpanId;
            return this;
        }

        /**
         * @return the options
         */
        public SpanOptions build() {
            return new SpanOptions(this);
        }

    }

}
