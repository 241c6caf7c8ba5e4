package io.github.posthog4j.client.internal.traces;

import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.SpanKind;
import io.github.posthog4j.client.SpanStatus;
import io.github.posthog4j.client.internal.otlp.SpanRecordData;
import io.github.posthog4j.client.internal.otlp.TraceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A live span: ids fixed at start, the rest (name, attributes, events, status) changed
 * under its own lock until it ends or is evicted; then every change is ignored. Times:
 * the start on the wall clock (or the caller's, backdated), the end and the events' times
 * the start plus the monotonic time elapsed (wall clock for a backdated span), so that
 * durations survive wall-clock changes and events fall inside the span.
 */
final class RecordingSpan implements PosthogSpan {

    static final int LIVE = 0;

    static final int ENDED = 1;

    static final int EVICTED = 2;

    private final Tracer tracer;

    final String traceId;

    final String spanId;

    final @Nullable String parentSpanId;

    final @Nullable String traceState;

    final SpanKind kind;

    final long startEpochNanos;

    private final long startMonotonic;

    private final boolean backdated;

    /** When the handle was created (monotonic), for the age bound. */
    final long createdMonotonic;

    /**
     * The client's context ({@code posthogDistinctId}, {@code sessionId}): not capped.
     */
    final Map<String, @Nullable Object> context;

    private final int maxAttributes;

    private final int maxEvents;

    private final AtomicInteger state = new AtomicInteger(LIVE);

    // guarded by this
    private String name;

    private final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();

    private int droppedAttributes;

    private final List<SpanRecordData.Event> events = new ArrayList<>(0);

    private int droppedEvents;

    private SpanStatus status = SpanStatus.UNSET;

    private @Nullable String statusMessage;

    RecordingSpan(Tracer tracer, String name, SpanKind kind, String traceId, String spanId,
            @Nullable String parentSpanId, @Nullable String traceState, long startEpochNanos, boolean backdated,
            Map<String, @Nullable Object> context, int maxAttributes, int maxEvents) {
        this.tracer = tracer;
        this.name = name;
        this.kind = kind;
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.traceState = traceState;
        this.startEpochNanos = startEpochNanos;
        this.startMonotonic = System.nanoTime();
        this.createdMonotonic = this.startMonotonic;
        this.backdated = backdated;
        this.context = context;
        this.maxAttributes = maxAttributes;
        this.maxEvents = maxEvents;
    }

    private boolean ignoredAfterEnd(String operation) {
        if (this.state.get() == LIVE) {
            return false;
        }
        this.tracer.debug(() -> "PostHog span '" + currentName() + "': " + operation + " after it ended is ignored");
        return true;
    }

    private synchronized String currentName() {
        return this.name;
    }

    @Override
    public PosthogSpan setAttribute(String key, @Nullable Object value) {
        if (key == null || ignoredAfterEnd("setAttribute")) {
            return this;
        }
        synchronized (this) {
            putAttribute(key, value);
        }
        return this;
    }

    /** Caller holds the lock. */
    private void putAttribute(String key, @Nullable Object value) {
        if (value == null) {
            this.attributes.remove(key);
        }
        else if (this.attributes.containsKey(key) || this.attributes.size() < this.maxAttributes) {
            this.attributes.put(key, value);
        }
        else {
            this.droppedAttributes++;
        }
    }

    @Override
    public PosthogSpan setAttributes(@Nullable Map<String, ?> values) {
        if (values == null || ignoredAfterEnd("setAttributes")) {
            return this;
        }
        synchronized (this) {
            values.forEach((k, v) -> {
                if (k != null) {
                    putAttribute(k, v);
                }
            });
        }
        return this;
    }

    @Override
    public PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes) {
        return addEvent(name, attributes, null);
    }

    @Override
    public PosthogSpan addEvent(String name, @Nullable Map<String, ?> attributes, @Nullable Instant timestamp) {
        if (ignoredAfterEnd("addEvent")) {
            return this;
        }
        long given = SpanTimes.toEpochNanos(timestamp);
        long time = (given >= 0) ? given : now();
        Map<String, @Nullable Object> copy = (attributes == null || attributes.isEmpty()) ? Collections.emptyMap()
                : new LinkedHashMap<>(attributes);
        String eventName = (name == null || name.isBlank()) ? "unknown" : name;
        synchronized (this) {
            if (this.events.size() < this.maxEvents) {
                this.events.add(new SpanRecordData.Event(eventName, time, copy));
            }
            else {
                this.droppedEvents++;
            }
        }
        return this;
    }

    @Override
    public PosthogSpan setStatus(SpanStatus status, @Nullable String message) {
        if (status == null || ignoredAfterEnd("setStatus")) {
            return this;
        }
        synchronized (this) {
            this.status = status;
            this.statusMessage = (status == SpanStatus.ERROR) ? message : null;
        }
        return this;
    }

    @Override
    public PosthogSpan recordException(@Nullable Throwable exception) {
        if (exception == null || ignoredAfterEnd("recordException")) {
            return this;
        }
        record(exception, true);
        return this;
    }

    /**
     * What the scoped helper does when its work throws: the exception event, and status
     * error unless the work set ok (which is final for the helper).
     * @param exception the exception
     */
    void failed(Throwable exception) {
        if (this.state.get() == LIVE) {
            record(exception, false);
        }
    }

    private void record(Throwable exception, boolean overrideOk) {
        Map<String, @Nullable Object> attributes = new LinkedHashMap<>(4);
        attributes.put("exception.type", exception.getClass().getName());
        String message = exception.getMessage();
        if (message != null) {
            attributes.put("exception.message", message);
        }
        addEvent("exception", attributes, null);
        synchronized (this) {
            if (overrideOk || this.status != SpanStatus.OK) {
                this.status = SpanStatus.ERROR;
                this.statusMessage = (message != null) ? message : exception.getClass().getName();
            }
        }
    }

    @Override
    public PosthogSpan updateName(String name) {
        if (ignoredAfterEnd("updateName")) {
            return this;
        }
        String valid = this.tracer.validName(name);
        synchronized (this) {
            this.name = valid;
        }
        return this;
    }

    @Override
    public String traceparent() {
        return TraceContext.traceparent(this.traceId, this.spanId);
    }

    @Override
    public @Nullable String tracestate() {
        return this.traceState;
    }

    @Override
    public String traceId() {
        return this.traceId;
    }

    @Override
    public String spanId() {
        return this.spanId;
    }

    @Override
    public boolean isRecording() {
        return this.state.get() == LIVE;
    }

    @Override
    public Scope activate() {
        return this.tracer.activate(this);
    }

    @Override
    public void end(@Nullable Instant endTime) {
        if (!this.state.compareAndSet(LIVE, ENDED)) {
            this.tracer.debug(() -> "PostHog span '" + currentName() + "': end() after it ended is ignored");
            return;
        }
        long given = SpanTimes.toEpochNanos(endTime);
        long end = (given >= 0) ? given : now();
        this.tracer.finish(this, Math.max(end, this.startEpochNanos));
    }

    /**
     * Evicts the span (too old): it will never be sent.
     * @return whether it was live
     */
    boolean evict() {
        return this.state.compareAndSet(LIVE, EVICTED);
    }

    /**
     * @return the time now on the span's clock: start plus the monotonic time elapsed, or
     * the wall clock for a backdated span
     */
    private long now() {
        if (this.backdated) {
            return this.tracer.wallNanos();
        }
        long elapsed = System.nanoTime() - this.startMonotonic;
        long now = this.startEpochNanos + Math.max(0, elapsed);
        return (now < 0) ? Long.MAX_VALUE : now;
    }

    /**
     * What the span holds at its end, for the hooks and the record.
     *
     * @param name the name
     * @param attributes the application's attributes (a copy)
     * @param droppedAttributes attributes over the limit
     * @param events the events (a copy)
     * @param droppedEvents events over the limit
     * @param status the status
     * @param statusMessage its description
     */
    record Snapshot(String name, Map<String, @Nullable Object> attributes, int droppedAttributes,
            List<SpanRecordData.Event> events, int droppedEvents, SpanStatus status, @Nullable String statusMessage) {
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(this.name, new LinkedHashMap<>(this.attributes), this.droppedAttributes,
                new ArrayList<>(this.events), this.droppedEvents, this.status, this.statusMessage);
    }

    @Override
    public String toString() {
        return "PosthogSpan[" + currentName() + ", " + this.traceId + "/" + this.spanId + "]";
    }

}
