package io.github.posthog4j.autoconfigure.traces;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The ids of the span Micrometer Tracing's observation handler made for an observation
 * (its {@code TracingContext}). Loaded only when Micrometer Tracing is on the class path.
 */
final class MicrometerTracingSpanIds implements SpanIds.Source {

    private final ObjectProvider<Tracer> tracers;

    MicrometerTracingSpanIds(ObjectProvider<Tracer> tracers) {
        this.tracers = tracers;
    }

    @Override
    public @Nullable SpanIds of(Observation.Context context) {
        try {
            TracingObservationHandler.TracingContext tracing = context
                .get(TracingObservationHandler.TracingContext.class);
            Span span = (tracing != null) ? tracing.getSpan() : null;
            if (span == null || span.isNoop()) {
                return null;
            }
            TraceContext ids = span.context();
            String traceId = ids.traceId();
            return new SpanIds((traceId.length() == 16) ? "0000000000000000" + traceId : traceId, ids.spanId(),
                    ids.parentId());
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    @Override
    public boolean tracing() {
        Tracer tracer = this.tracers.getIfUnique();
        return tracer != null && tracer != Tracer.NOOP;
    }

}
