package io.github.posthog4j.client.internal.traces;

import io.github.posthog4j.client.BeforeSpanSendHook;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogSpanData;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.logs.LogCapture;
import io.github.posthog4j.client.internal.otlp.SignalSink;
import io.github.posthog4j.client.internal.otlp.SpanRecordData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What happens when a span ends, on the thread that ends it. The gates, in the traces
 * specification's order, each a drop that never throws: (1) tracing is off or the client
 * is closed ({@code closed}); (2) the user opted out ({@code opted_out}: a span that was
 * live when the user opted out); (3) a {@link BeforeSpanSendHook} returned null or threw
 * ({@code before_send}; a throwing hook drops the span: it is the scrubbing point, and a
 * broken scrubber must not leak). Then the span limits apply again to what the hooks
 * returned (attributes beyond the limit, not counting the client's join keys, and events
 * beyond the limit are dropped and counted in the record), the name is checked, and the
 * record is queued (a full queue refuses it: {@code queue_full}).
 */
final class SpanExport {

    private final Supplier<ClientSettings> settings;

    private final BooleanSupplier closed;

    private final BooleanSupplier optedOut;

    private final Supplier<SignalSink> sink;

    SpanExport(Supplier<ClientSettings> settings, BooleanSupplier closed, BooleanSupplier optedOut,
            Supplier<SignalSink> sink) {
        this.settings = settings;
        this.closed = closed;
        this.optedOut = optedOut;
        this.sink = sink;
    }

    void export(RecordingSpan span, long endEpochNanos) {
        SignalSink target = this.sink.get();
        try {
            TracesConfig config = this.settings.get().traces();
            if (config == null || this.closed.getAsBoolean()) {
                target.dropped(DropReason.CLOSED, 1);
                return;
            }
            if (this.optedOut.getAsBoolean()) {
                target.dropped(DropReason.OPTED_OUT, 1);
                return;
            }
            RecordingSpan.Snapshot s = span.snapshot();
            Map<String, @Nullable Object> attributes = new LinkedHashMap<>(span.context);
            attributes.putAll(s.attributes());
            String name = s.name();
            io.github.posthog4j.client.SpanKind kind = span.kind;
            io.github.posthog4j.client.SpanStatus status = s.status();
            String statusMessage = s.statusMessage();
            List<SpanRecordData.Event> events = s.events();
            int droppedAttributes = s.droppedAttributes();
            int droppedEvents = s.droppedEvents();
            List<BeforeSpanSendHook> hooks = config.beforeSpanSend();
            if (!hooks.isEmpty()) {
                PosthogSpanData view = runHooks(hooks, span, endEpochNanos, name, attributes, events, s, target);
                if (view == null) {
                    return;
                }
                name = view.name();
                kind = view.kind();
                status = view.status();
                statusMessage = view.statusMessage();
                attributes = new LinkedHashMap<>(view.attributes());
                droppedAttributes += capAttributes(attributes, config.maxAttributesPerSpan());
                events = events(view.events());
                if (events.size() > config.maxEventsPerSpan()) {
                    droppedEvents += events.size() - config.maxEventsPerSpan();
                    events = new ArrayList<>(events.subList(0, config.maxEventsPerSpan()));
                }
            }
            SpanRecordData record = new SpanRecordData(span.traceId, span.spanId, span.parentSpanId, span.traceState,
                    (name == null || name.isBlank()) ? "unknown" : name,
                    (kind != null) ? kind : io.github.posthog4j.client.SpanKind.INTERNAL, span.startEpochNanos,
                    Math.max(endEpochNanos, span.startEpochNanos), attributes, droppedAttributes, events, droppedEvents,
                    (status != null) ? status : io.github.posthog4j.client.SpanStatus.UNSET, statusMessage);
            target.offer(record, System.currentTimeMillis());
        }
        catch (RuntimeException ex) {
            String problem = ex.getClass().getName();
            target.dropped(DropReason.INVALID, 1, () -> "Dropped a span after an unexpected error: " + problem);
        }
        finally {
            target.reportDropsIfDue();
        }
    }

    private static @Nullable PosthogSpanData runHooks(List<BeforeSpanSendHook> hooks, RecordingSpan span,
            long endEpochNanos, String name, Map<String, @Nullable Object> attributes,
            List<SpanRecordData.Event> events, RecordingSpan.Snapshot s, SignalSink target) {
        List<PosthogSpanData.Event> friendly = new ArrayList<>(events.size());
        for (SpanRecordData.Event e : events) {
            friendly.add(new PosthogSpanData.Event(e.name(), SpanTimes.toInstant(e.timeUnixNano()),
                    new LinkedHashMap<>(e.attributes())));
        }
        PosthogSpanData view = new PosthogSpanData(span.traceId, span.spanId, span.parentSpanId, span.traceState, name,
                span.kind, SpanTimes.toInstant(span.startEpochNanos), SpanTimes.toInstant(endEpochNanos), s.status(),
                s.statusMessage(), attributes, friendly);
        for (BeforeSpanSendHook hook : hooks) {
            PosthogSpanData next;
            try {
                next = hook.apply(view);
            }
            catch (RuntimeException | LinkageError ex) {
                String hookName = hook.getClass().getName();
                String problem = ex.getClass().getName();
                target.dropped(DropReason.BEFORE_SEND, 1);
                target.warn(DropReason.BEFORE_SEND,
                        () -> "Dropped span '" + name + "': before-span-send hook " + hookName + " threw " + problem
                                + " (spans are dropped, not sent unscrubbed, when a hook fails)");
                return null;
            }
            if (next == null) {
                target.dropped(DropReason.BEFORE_SEND, 1);
                return null;
            }
            if (!Objects.equals(next.traceId(), span.traceId) || !Objects.equals(next.spanId(), span.spanId)
                    || !Objects.equals(next.parentSpanId(), span.parentSpanId)) {
                target.debug(() -> "PostHog: a before-span-send hook changed the ids of span '" + name
                        + "'; ids are read-only and were kept");
            }
            view = next;
        }
        return view;
    }

    /**
     * Drops the application's attributes beyond the limit (the first ones set win; the
     * client's join keys do not count and are never dropped).
     * @return how many were dropped
     */
    private static int capAttributes(Map<String, @Nullable Object> attributes, int max) {
        int own = 0;
        int dropped = 0;
        Iterator<Map.Entry<String, @Nullable Object>> it = attributes.entrySet().iterator();
        while (it.hasNext()) {
            String key = it.next().getKey();
            if (LogCapture.DISTINCT_ID.equals(key) || LogCapture.SESSION_ID.equals(key)) {
                continue;
            }
            if (++own > max) {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    private static List<SpanRecordData.Event> events(List<PosthogSpanData.Event> events) {
        List<SpanRecordData.Event> out = new ArrayList<>(events.size());
        for (PosthogSpanData.Event e : events) {
            if (e == null) {
                continue;
            }
            long time = SpanTimes.toEpochNanos(e.timestamp());
            out.add(new SpanRecordData.Event((e.name() == null || e.name().isBlank()) ? "unknown" : e.name(),
                    (time >= 0) ? time : SpanTimes.nowEpochNanos(),
                    (e.attributes() != null) ? e.attributes() : Map.of()));
        }
        return out;
    }

}
