package io.github.posthog4j.client.internal.traces;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogContextHolder;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.SpanCallback;
import io.github.posthog4j.client.SpanOptions;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.logs.LogCapture;
import io.github.posthog4j.client.internal.otlp.SignalSink;
import io.github.posthog4j.client.internal.otlp.TraceContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The client's tracer: starts spans (no-ops when tracing is off, the user opted out, the
 * client is closed, the parent is a no-op, or too many spans are live), keeps the active
 * span of each thread (per client: two clients never see each other's), runs work inside
 * spans, and hands ended spans to {@link SpanExport}. Never throws into the application;
 * the scoped helpers rethrow only the application's own exception. Internal API.
 */
public final class Tracer {

    private final Supplier<ClientSettings> settings;

    private final BooleanSupplier closed;

    private final BooleanSupplier optedOut;

    private final Supplier<SignalSink> sink;

    private final LiveSpans live = new LiveSpans();

    private final ThreadLocal<@Nullable RecordingSpan> active = new ThreadLocal<>();

    private final SpanExport export;

    /**
     * @param settings the current settings (tracing is on while they have a traces
     * config)
     * @param closed whether the client is closed
     * @param optedOut whether the user opted out
     * @param sink the traces pipeline's intake (created on first use)
     */
    public Tracer(Supplier<ClientSettings> settings, BooleanSupplier closed, BooleanSupplier optedOut,
            Supplier<SignalSink> sink) {
        this.settings = settings;
        this.closed = closed;
        this.optedOut = optedOut;
        this.sink = sink;
        this.export = new SpanExport(settings, closed, optedOut, sink);
    }

    /**
     * Starts a span (not active).
     * @param name the name
     * @param options the options
     * @return the span, or a no-op span
     */
    public PosthogSpan start(String name, @Nullable SpanOptions options) {
        try {
            TracesConfig config = this.settings.get().traces();
            if (config == null || this.closed.getAsBoolean() || this.optedOut.getAsBoolean()) {
                return PosthogSpan.noop();
            }
            return start(name, (options != null) ? options : SpanOptions.none(), config);
        }
        catch (RuntimeException ex) {
            return PosthogSpan.noop();
        }
    }

    private PosthogSpan start(String name, SpanOptions o, TracesConfig config) {
        String traceId;
        String spanId = null;
        String parentSpanId = null;
        String traceState = null;
        PosthogSpan parent = o.parentSpan();
        if (TraceContext.isValidTraceId(o.traceId()) && TraceContext.isValidSpanId(o.spanId())) {
            // a bridge mirroring another tracer's span
            traceId = o.traceId();
            spanId = o.spanId();
            parentSpanId = TraceContext.isValidSpanId(o.parentSpanId()) ? o.parentSpanId() : null;
            traceState = TraceContext.validTracestate(o.tracestate());
        }
        else if (parent != null) {
            if (!TraceContext.isValidTraceId(parent.traceId())) {
                return PosthogSpan.noop(); // the child of a no-op is a no-op
            }
            traceId = parent.traceId();
            parentSpanId = parent.spanId();
            traceState = parent.tracestate();
        }
        else if (o.traceparent() != null) {
            TraceContext remote = TraceContext.parse(o.traceparent());
            if (remote != null) {
                traceId = remote.traceId();
                parentSpanId = remote.spanId();
                traceState = TraceContext.validTracestate(o.tracestate());
            }
            else {
                debug(() -> "PostHog: an invalid traceparent was ignored; the span starts a new trace");
                traceId = TraceContext.newTraceId();
            }
        }
        else {
            RecordingSpan current = this.active.get();
            if (current != null) {
                traceId = current.traceId;
                parentSpanId = current.spanId;
                traceState = current.traceState;
            }
            else {
                traceId = TraceContext.newTraceId();
            }
        }
        if (!this.live.admit(config.maxLiveSpans(), config.maxSpanAge().toNanos(), this::evicted)) {
            this.sink.get()
                .dropped(DropReason.SPAN_LIMIT, 1, () -> "PostHog refused a span: " + config.maxLiveSpans()
                        + " spans are live (started, not ended); posthog.traces.max-live-spans");
            this.sink.get().reportDropsIfDue();
            return PosthogSpan.noop();
        }
        SignalSink target = this.sink.get(); // the traces pipeline starts with the first
                                             // span
        long start = startTime(o);
        RecordingSpan span = new RecordingSpan(this, validName(name), o.kind(), traceId,
                (spanId != null) ? spanId : TraceContext.newSpanId(), parentSpanId, traceState,
                (start >= 0) ? start : wallNanos(), start >= 0, context(), config.maxAttributesPerSpan(),
                config.maxEventsPerSpan());
        if (!o.attributes().isEmpty()) {
            span.setAttributes(o.attributes());
        }
        this.live.add(span);
        target.reportDropsIfDue();
        return span;
    }

    /**
     * @return the caller's start time in nanoseconds since the epoch, or -1 for now (none
     * given, or out of range)
     */
    private long startTime(SpanOptions o) {
        if (o.startTime() == null) {
            return -1;
        }
        long start = SpanTimes.toEpochNanos(o.startTime());
        if (start < 0) {
            debug(() -> "PostHog: a span start time out of range (" + o.startTime() + ") was replaced by now");
        }
        else if (wallNanos() - start > SpanTimes.CLAMP_NANOS) {
            debug(() -> "PostHog: a span starts more than 24 hours ago (" + o.startTime()
                    + "); PostHog will clamp its start to the time it receives it");
        }
        return start;
    }

    /**
     * @return the wall clock now (the builder's clock, for tests), in nanoseconds since
     * the epoch
     */
    long wallNanos() {
        return SpanTimes.nowEpochNanos(this.settings.get().clock());
    }

    /**
     * The request context frozen at the start: {@code posthogDistinctId} and
     * {@code sessionId} when known (never empty).
     */
    private static Map<String, @Nullable Object> context() {
        PosthogContext context = PosthogContextHolder.getContext();
        if (context == null || (context.distinctId() == null && context.sessionId() == null)) {
            return Collections.emptyMap();
        }
        Map<String, @Nullable Object> ids = new LinkedHashMap<>(4);
        if (context.distinctId() != null) {
            ids.put(LogCapture.DISTINCT_ID, context.distinctId());
        }
        if (context.sessionId() != null) {
            ids.put(LogCapture.SESSION_ID, context.sessionId());
        }
        return ids;
    }

    private void evicted(int n) {
        this.sink.get()
            .dropped(DropReason.SPAN_LIMIT, n,
                    () -> "PostHog evicted " + n + " spans live longer than posthog.traces.max-span-age; "
                            + "they are never sent (spans started and never ended?)");
    }

    /**
     * @param name a span name
     * @return the name, or {@code unknown} when it is null or blank
     */
    String validName(@Nullable String name) {
        if (name == null || name.isBlank()) {
            debug(() -> "PostHog: a span without a name is named 'unknown'");
            return "unknown";
        }
        return name;
    }

    /**
     * Runs work in a new span, active while it runs; ends it afterwards.
     * @param <T> the result type
     * @param <E> what the work throws
     * @param name the name
     * @param options the options
     * @param work the work
     * @return the work's result
     * @throws E the work's exception, unchanged
     */
    public <T, E extends Throwable> T withSpan(String name, @Nullable SpanOptions options, SpanCallback<T, E> work)
            throws E {
        PosthogSpan span = start(name, options);
        PosthogSpan.Scope scope = span.activate();
        try {
            return work.call(span);
        }
        catch (Throwable ex) {
            failed(span, ex);
            throw ex;
        }
        finally {
            scope.close();
            span.end();
        }
    }

    /**
     * Runs asynchronous work in a new span, active while {@code work} runs; ends it when
     * the stage completes.
     * @param <T> the result type
     * @param name the name
     * @param options the options
     * @param work the work
     * @return the stage the work returned
     */
    public <T> CompletionStage<T> withSpanAsync(String name, @Nullable SpanOptions options,
            Function<PosthogSpan, ? extends CompletionStage<T>> work) {
        PosthogSpan span = start(name, options);
        CompletionStage<T> stage;
        try (PosthogSpan.Scope scope = span.activate()) {
            stage = work.apply(span);
        }
        catch (RuntimeException | Error ex) {
            failed(span, ex);
            span.end();
            throw ex;
        }
        if (stage == null) {
            span.end();
            return CompletableFuture.completedFuture(null);
        }
        stage.whenComplete((result, ex) -> {
            if (ex != null) {
                failed(span, unwrap(ex));
            }
            span.end();
        });
        return stage;
    }

    private static Throwable unwrap(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void failed(PosthogSpan span, Throwable ex) {
        if (span instanceof RecordingSpan recording) {
            try {
                recording.failed(ex);
            }
            catch (RuntimeException ignored) {
                // the application's exception matters, not ours
            }
        }
    }

    /**
     * @return the active span of this thread, or null
     */
    public @Nullable PosthogSpan active() {
        return this.active.get();
    }

    /**
     * Makes a span active on this thread until the scope closes.
     * @param span the span
     * @return the scope
     */
    PosthogSpan.Scope activate(RecordingSpan span) {
        RecordingSpan previous = this.active.get();
        this.active.set(span);
        return new PosthogSpan.Scope() {

            private boolean closed;

            @Override
            public void close() {
                if (!this.closed) {
                    this.closed = true;
                    if (previous != null) {
                        Tracer.this.active.set(previous);
                    }
                    else {
                        Tracer.this.active.remove();
                    }
                }
            }

        };
    }

    /**
     * A span ended: it leaves the live set and goes through the end-time gates.
     * @param span the span
     * @param endEpochNanos its end (not before its start)
     */
    void finish(RecordingSpan span, long endEpochNanos) {
        this.live.remove(span);
        this.export.export(span, endEpochNanos);
    }

    void debug(Supplier<String> message) {
        if (this.settings.get().traces() != null && io.github.posthog4j.client.internal.Log.CLIENT.isDebugEnabled()) {
            this.sink.get().debug(message);
        }
    }

    /**
     * Close: live spans are discarded (never sent) and counted {@code closed}; the choice
     * the traces specification asks to document.
     */
    public void close() {
        int n = this.live.evictAll();
        if (n > 0) {
            this.sink.get()
                .dropped(DropReason.CLOSED, n, () -> "PostHog client closed with " + n
                        + " spans still live (started, not ended); they are not sent");
        }
    }

    /**
     * @return how many spans are live now
     */
    public int liveSpans() {
        return this.live.size();
    }

}
