package io.github.posthog4j.client.internal.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A log record or a span on its way to PostHog, written as one OTLP/JSON object on the
 * delivering thread. Internal API.
 */
public interface OtlpRecord {

    /**
     * Writes the record (one JSON object).
     * @param g the generator
     * @throws IOException if writing fails
     */
    void write(JsonGenerator g) throws IOException;

    /**
     * @return a short description for drop warnings (never the record's content)
     */
    String describe();

}
