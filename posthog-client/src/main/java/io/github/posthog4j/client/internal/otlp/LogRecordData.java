package io.github.posthog4j.client.internal.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posthog4j.client.LogSeverity;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An accepted log record, written as one OTLP {@code logRecord}: {@code timeUnixNano} and
 * {@code observedTimeUnixNano} (equal, as strings), {@code severityNumber},
 * {@code severityText}, the body as a {@code stringValue}, {@code attributes}, and
 * {@code traceId}, {@code spanId} and {@code flags} only when known. Immutable once
 * accepted. Internal API.
 *
 * @param timeUnixNano when it was captured, in nanoseconds since the epoch
 * @param severity the severity
 * @param body the message
 * @param attributes the attributes (context, then the record's own), not copied
 * @param traceId the trace id, or null
 * @param spanId the span id, or null
 * @param flags the trace flags, or null
 */
public record LogRecordData(long timeUnixNano, LogSeverity severity, String body,
        Map<String, @Nullable Object> attributes, @Nullable String traceId, @Nullable String spanId,
        @Nullable Integer flags) implements OtlpRecord {

    @Override
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        String time = Long.toString(this.timeUnixNano);
        g.writeStringField("timeUnixNano", time);
        g.writeStringField("observedTimeUnixNano", time);
        g.writeNumberField("severityNumber", this.severity.number());
        g.writeStringField("severityText", this.severity.text());
        g.writeFieldName("body");
        g.writeStartObject();
        g.writeStringField("stringValue", this.body);
        g.writeEndObject();
        OtlpJson.writeAttributes(g, this.attributes);
        if (this.traceId != null) {
            g.writeStringField("traceId", this.traceId);
        }
        if (this.spanId != null) {
            g.writeStringField("spanId", this.spanId);
        }
        if (this.flags != null) {
            g.writeNumberField("flags", this.flags);
        }
        g.writeEndObject();
    }

    @Override
    public String describe() {
        return "log record (" + this.severity.text() + ", " + this.body.length() + " characters)";
    }

    @Override
    public String toString() {
        return "LogRecordData[" + this.severity + ", " + this.attributes.keySet() + "]";
    }

}
