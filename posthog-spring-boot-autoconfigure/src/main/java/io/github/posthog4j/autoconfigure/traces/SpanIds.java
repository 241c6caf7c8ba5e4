package io.github.posthog4j.autoconfigure.traces;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The ids another tracer gave an observation (Micrometer Tracing), so that the PostHog
 * span mirrors its span: same trace id, span id and parent.
 *
 * @param traceId 32 lowercase hex characters
 * @param spanId 16 lowercase hex characters
 * @param parentSpanId the parent span id, or null
 */
public record SpanIds(String traceId, String spanId, @Nullable String parentSpanId) {

    /** Reads the ids of an observation's span, when another tracer made one. */
    public interface Source {

        /**
         * @param context the observation's context
         * @return the ids, or null when no tracer made a span for it (yet)
         */
        @Nullable SpanIds of(Observation.Context context);

        /**
         * @return whether a tracer is expected to make spans (when its ids are not there
         * yet at the start, the PostHog span waits for them)
         */
        boolean tracing();

    }

}
