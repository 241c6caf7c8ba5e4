package io.github.posthog4j.autoconfigure.traces;

import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.SpanKind;
import io.github.posthog4j.client.SpanOptions;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns Micrometer observations into PostHog spans: Spring's HTTP server and client
 * requests, {@code @Observed} methods, instrumented data access, messaging, scheduled
 * tasks. Each observation becomes one span: named by its contextual name (low
 * cardinality, e.g. {@code http get /users/{id}}), its kind from the observation's
 * transport kind, its key values as attributes (variable values, such as the URL, among
 * them), an error as status {@code error} with an {@code exception} event, the parent
 * observation's span as parent, and the request's PostHog distinct id and session id
 * ({@code posthogDistinctId}, {@code sessionId}). While the observation is in scope on a
 * thread, its span is the client's active span there (the parent of
 * {@code client.startSpan} and the trace of {@code captureLog}).
 *
 * <p>
 * With Micrometer Tracing, the span takes the ids of the tracer's span for the same
 * observation, so that PostHog's logs, traces and events line up with the traces the
 * application exports elsewhere; without it, the span continues an incoming W3C
 * {@code traceparent} of a server request (nothing is injected into outgoing requests:
 * the traces specification wants that gated by an allowlist). Never throws into the
 * observed code.
 */
public final class PosthogObservationHandler implements ObservationHandler<Observation.Context> {

    private static final String SPAN = PosthogObservationHandler.class.getName() + ".span";

    private static final String STARTED = PosthogObservationHandler.class.getName() + ".started";

    private static final String BACKDATED = PosthogObservationHandler.class.getName() + ".backdated";

    private final PosthogClient client;

    private final List<String> excluded;

    private final SpanIds.@Nullable Source ids;

    private final Function<Observation.Context, @Nullable PosthogContext> requestContext;

    private final ThreadLocal<Deque<PosthogSpan.Scope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);

    private volatile @Nullable Boolean tracing;

    /**
     * @param client where the spans go
     * @param excluded observation names or name prefixes left out
     * @param ids the ids of another tracer's spans, or null without Micrometer Tracing
     * @param requestContext the PostHog context of a server request observation, when
     * known only after it started (the request's context filter runs inside it), or null
     */
    public PosthogObservationHandler(PosthogClient client, List<String> excluded, SpanIds.@Nullable Source ids,
            Function<Observation.Context, @Nullable PosthogContext> requestContext) {
        this.client = client;
        this.excluded = List.copyOf(excluded);
        this.ids = ids;
        this.requestContext = requestContext;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        String name = context.getName();
        if (name == null) {
            return true;
        }
        for (String prefix : this.excluded) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onStart(Observation.Context context) {
        try {
            context.put(STARTED, new Started(Instant.now(), System.nanoTime()));
            if (this.ids == null || this.ids.of(context) != null || !tracing()) {
                span(context);
            }
            // else: Micrometer Tracing's handler has not started its span yet; ours waits
            // for its ids (at the first scope, or the stop)
        }
        catch (RuntimeException ex) {
            // never into the observed code
        }
    }

    private boolean tracing() {
        Boolean t = this.tracing;
        if (t == null) {
            t = this.ids != null && this.ids.tracing();
            this.tracing = t;
        }
        return t;
    }

    /** The observation's span, started on first need. */
    private PosthogSpan span(Observation.Context context) {
        PosthogSpan span = context.get(SPAN);
        if (span != null) {
            return span;
        }
        Started started = context.get(STARTED);
        SpanOptions.Builder options = SpanOptions.builder().kind(kind(context));
        SpanIds mirrored = (this.ids != null) ? this.ids.of(context) : null;
        PosthogSpan parent = parentSpan(context);
        if (mirrored != null) {
            options.context(mirrored.traceId(), mirrored.spanId(), mirrored.parentSpanId());
        }
        else if (parent != null) {
            options.parent(parent);
        }
        else if (context instanceof ReceiverContext<?> receiver) {
            remoteParent(receiver, options);
        }
        if (started != null && System.nanoTime() - started.nanos() > 1_000_000) {
            // created after the observation started: backdated to its start
            options.startTime(started.instant());
            context.put(BACKDATED, Boolean.TRUE);
        }
        span = this.client.startSpan(name(context), options.build());
        context.put(SPAN, span);
        return span;
    }

    @SuppressWarnings("unchecked")
    private static void remoteParent(ReceiverContext<?> receiver, SpanOptions.Builder options) {
        Object carrier = receiver.getCarrier();
        if (carrier == null) {
            return;
        }
        ReceiverContext<Object> r = (ReceiverContext<Object>) receiver;
        String traceparent = r.getGetter().get(carrier, "traceparent");
        if (traceparent != null) {
            options.parent(traceparent).tracestate(r.getGetter().get(carrier, "tracestate"));
        }
    }

    private static @Nullable PosthogSpan parentSpan(Observation.Context context) {
        ObservationView parent = context.getParentObservation();
        while (parent != null) {
            Observation.ContextView view = parent.getContextView();
            PosthogSpan span = view.get(SPAN);
            if (span != null) {
                return span;
            }
            parent = view.getParentObservation();
        }
        return null;
    }

    private static SpanKind kind(Observation.Context context) {
        Kind kind = null;
        if (context instanceof ReceiverContext<?> receiver) {
            kind = receiver.getKind();
        }
        else if (context instanceof SenderContext<?> sender) {
            kind = sender.getKind();
        }
        if (kind == null) {
            return SpanKind.INTERNAL;
        }
        return switch (kind) {
            case SERVER -> SpanKind.SERVER;
            case CLIENT -> SpanKind.CLIENT;
            case PRODUCER -> SpanKind.PRODUCER;
            case CONSUMER -> SpanKind.CONSUMER;
        };
    }

    private static String name(Observation.Context context) {
        String name = context.getContextualName();
        if (name == null || name.isBlank()) {
            name = context.getName();
        }
        return (name != null) ? name : "unknown";
    }

    @Override
    public void onScopeOpened(Observation.Context context) {
        try {
            this.scopes.get().push(span(context).activate());
        }
        catch (RuntimeException ex) {
            // never into the observed code
        }
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
        Deque<PosthogSpan.Scope> open = this.scopes.get();
        PosthogSpan.Scope scope = open.poll();
        if (scope != null) {
            scope.close();
        }
        if (open.isEmpty()) {
            this.scopes.remove();
        }
    }

    @Override
    public void onScopeReset(Observation.Context context) {
        Deque<PosthogSpan.Scope> open = this.scopes.get();
        PosthogSpan.Scope scope;
        while ((scope = open.poll()) != null) {
            scope.close();
        }
        this.scopes.remove();
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
        try {
            String name = event.getContextualName();
            span(context).addEvent((name != null && !name.isBlank()) ? name : event.getName());
        }
        catch (RuntimeException ex) {
            // never into the observed code
        }
    }

    @Override
    public void onStop(Observation.Context context) {
        try {
            PosthogSpan span = span(context);
            span.updateName(name(context));
            for (KeyValue kv : context.getLowCardinalityKeyValues()) {
                span.setAttribute(kv.getKey(), kv.getValue());
            }
            for (KeyValue kv : context.getHighCardinalityKeyValues()) {
                span.setAttribute(kv.getKey(), kv.getValue());
            }
            PosthogContext request = this.requestContext.apply(context);
            if (request != null) {
                // the request's context is known only inside the request (the filter runs
                // within the server observation): the span's own attributes
                if (request.distinctId() != null) {
                    span.setAttribute("posthogDistinctId", request.distinctId());
                }
                if (request.sessionId() != null) {
                    span.setAttribute("sessionId", request.sessionId());
                }
            }
            Throwable error = context.getError();
            if (error != null) {
                span.recordException(error);
            }
            Started started = context.get(STARTED);
            if (started != null && Boolean.TRUE.equals(context.get(BACKDATED))) {
                // a backdated span ends on the wall clock: keep the monotonic duration
                span.end(started.instant().plusNanos(System.nanoTime() - started.nanos()));
            }
            else {
                span.end();
            }
        }
        catch (RuntimeException ex) {
            // never into the observed code
        }
    }

    /**
     * When an observation started, for a span created after it.
     *
     * @param instant the wall clock then
     * @param nanos the monotonic clock then
     */
    private record Started(Instant instant, long nanos) {
    }

}
