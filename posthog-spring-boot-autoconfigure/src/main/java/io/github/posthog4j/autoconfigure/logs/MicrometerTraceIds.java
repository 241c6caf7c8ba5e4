package io.github.posthog4j.autoconfigure.logs;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The ids of Micrometer Tracing's current span (Brave or OpenTelemetry underneath), so
 * that log records line up with the application's traces. Loaded only when Micrometer
 * Tracing is on the class path; the tracer is looked up on first use (none: no ids).
 */
public final class MicrometerTraceIds implements TraceIds.Source {

    private final ObjectProvider<Tracer> tracers;

    private volatile @Nullable Tracer tracer;

    private volatile boolean resolved;

    /**
     * @param tracers the application's tracer, if any
     */
    public MicrometerTraceIds(ObjectProvider<Tracer> tracers) {
        this.tracers = tracers;
    }

    private @Nullable Tracer tracer() {
        if (!this.resolved) {
            this.tracer = this.tracers.getIfUnique();
            this.resolved = true;
        }
        return this.tracer;
    }

    @Override
    public @Nullable TraceIds current() {
        try {
            Tracer t = tracer();
            Span span = (t != null) ? t.currentSpan() : null;
            if (span == null || span.isNoop()) {
                return null;
            }
            TraceContext context = span.context();
            Boolean sampled = context.sampled();
            return new TraceIds(TraceIds.w3c(context.traceId()), context.spanId(),
                    (sampled != null) ? (sampled ? 1 : 0) : null);
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

}
