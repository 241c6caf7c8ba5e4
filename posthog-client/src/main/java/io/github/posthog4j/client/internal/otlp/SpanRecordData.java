package io.github.posthog4j.client.internal.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posthog4j.client.SpanKind;
import io.github.posthog4j.client.SpanStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A finished span, written as one OTLP span: ids as lowercase hex, {@code kind} and the
 * status code as OTLP numbers, times as nanosecond strings, attributes and events, the
 * counts of what the limits dropped, and {@code flags} with the sampled bit. Built only
 * from valid values (the client sanitises at end time). Internal API.
 *
 * @param traceId the trace id
 * @param spanId the span id
 * @param parentSpanId the parent span id, or null
 * @param traceState the W3C tracestate, or null
 * @param name the name
 * @param kind the kind
 * @param startTimeUnixNano the start
 * @param endTimeUnixNano the end (not before the start)
 * @param attributes the attributes
 * @param droppedAttributesCount attributes left out by the limit
 * @param events the events
 * @param droppedEventsCount events left out by the limit
 * @param status the status
 * @param statusMessage the status description (errors only), or null
 */
public record SpanRecordData(String traceId, String spanId, @Nullable String parentSpanId, @Nullable String traceState,
        String name, SpanKind kind, long startTimeUnixNano, long endTimeUnixNano,
        Map<String, @Nullable Object> attributes, int droppedAttributesCount, List<Event> events,
        int droppedEventsCount, SpanStatus status, @Nullable String statusMessage) implements OtlpRecord {

    /** W3C trace flags with the sampled bit: every recorded span is sent. */
    static final int SAMPLED = 1;

    /**
     * An event of a span.
     *
     * @param name the name
     * @param timeUnixNano when it happened
     * @param attributes its attributes
     */
    public record Event(String name, long timeUnixNano, Map<String, @Nullable Object> attributes) {
    }

    @Override
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", this.traceId);
        g.writeStringField("spanId", this.spanId);
        if (this.parentSpanId != null) {
            g.writeStringField("parentSpanId", this.parentSpanId);
        }
        if (this.traceState != null) {
            g.writeStringField("traceState", this.traceState);
        }
        g.writeNumberField("flags", SAMPLED);
        g.writeStringField("name", this.name);
        g.writeNumberField("kind", this.kind.otlp());
        g.writeStringField("startTimeUnixNano", Long.toString(this.startTimeUnixNano));
        g.writeStringField("endTimeUnixNano", Long.toString(this.endTimeUnixNano));
        OtlpJson.writeAttributes(g, this.attributes);
        if (this.droppedAttributesCount > 0) {
            g.writeNumberField("droppedAttributesCount", this.droppedAttributesCount);
        }
        if (!this.events.isEmpty()) {
            g.writeArrayFieldStart("events");
            for (Event e : this.events) {
                g.writeStartObject();
                g.writeStringField("timeUnixNano", Long.toString(e.timeUnixNano()));
                g.writeStringField("name", e.name());
                OtlpJson.writeAttributes(g, e.attributes());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (this.droppedEventsCount > 0) {
            g.writeNumberField("droppedEventsCount", this.droppedEventsCount);
        }
        if (this.status != SpanStatus.UNSET) {
            g.writeObjectFieldStart("status");
            g.writeNumberField("code", this.status.code());
            if (this.statusMessage != null && this.status == SpanStatus.ERROR) {
                g.writeStringField("message", this.statusMessage);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    @Override
    public String describe() {
        return "span '" + this.name + "' (" + this.traceId + "/" + this.spanId + ")";
    }

    @Override
    public String toString() {
        return "SpanRecordData[" + this.name + ", " + this.traceId + "/" + this.spanId + "]";
    }

}
