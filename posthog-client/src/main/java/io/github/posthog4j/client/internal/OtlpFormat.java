package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posthog4j.client.internal.otlp.OtlpRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The record format of the logs and traces pipelines: a queued log record or span as its
 * OTLP/JSON object ({@link OtlpRecord#write}), on the delivering thread. One per thread
 * (it reuses a buffer).
 */
final class OtlpFormat implements PipelineSpec.RecordFormat {

    private static final JsonFactory FACTORY = EventSerializer.MAPPER.getFactory();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    @Override
    public byte[] serialize(QueuedEvent e) throws EventSerializer.InvalidEventException {
        OtlpRecord record = e.signal;
        if (record == null) {
            throw new EventSerializer.InvalidEventException("it is not a log record or a span");
        }
        this.buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(this.buffer)) {
            record.write(g);
        }
        catch (IOException | RuntimeException | StackOverflowError ex) {
            throw new EventSerializer.InvalidEventException(
                    "it cannot be written as OTLP JSON (" + ex.getClass().getSimpleName() + ")");
        }
        byte[] json = this.buffer.toByteArray();
        if (this.buffer.size() > 4 * 1024 * 1024) {
            this.buffer.reset();
        }
        return json;
    }

}
