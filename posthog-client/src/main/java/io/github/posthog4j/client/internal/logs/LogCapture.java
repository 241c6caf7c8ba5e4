package io.github.posthog4j.client.internal.logs;

import io.github.posthog4j.client.BeforeSendLogHook;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogContextHolder;
import io.github.posthog4j.client.PosthogLogRecord;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.otlp.LogRecordData;
import io.github.posthog4j.client.internal.otlp.SignalSink;
import io.github.posthog4j.client.internal.otlp.TraceContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code captureLog} on the caller's thread. The gates, in the logs specification's
 * order, each a silent drop (nothing thrown, nothing logged on this thread): (1) the
 * client is closed; (2) the user opted out (not counted); (3) the body is null, empty or
 * blank ({@code invalid}); (4) a {@link BeforeSendLogHook} returned null or left the body
 * blank ({@code before_send}; a hook that throws is skipped: fail open); (5) the rate cap
 * of the window is reached ({@code rate_limited}, one WARN per window). A record that
 * passes is stamped with its capture time (monotonic within the millisecond), enriched
 * with a snapshot of the request context ({@code posthogDistinctId}, {@code sessionId};
 * the record's own attributes win) and the active span's ids, and queued. Internal API.
 */
public final class LogCapture {

    /** The attribute of the context's distinct id (the join key to persons). */
    public static final String DISTINCT_ID = "posthogDistinctId";

    /** The attribute of the context's session id. */
    public static final String SESSION_ID = "sessionId";

    private final Supplier<ClientSettings> settings;

    private final BooleanSupplier closed;

    private final BooleanSupplier optedOut;

    private final Supplier<SignalSink> sink;

    private final Supplier<@Nullable PosthogSpan> activeSpan;

    private final LogClock clock = new LogClock();

    private final RateCap rateCap = new RateCap();

    /**
     * @param settings the current settings
     * @param closed whether the client is closed
     * @param optedOut whether the user opted out
     * @param sink the logs pipeline's intake (created on first use)
     * @param activeSpan the client's active span on this thread, or null
     */
    public LogCapture(Supplier<ClientSettings> settings, BooleanSupplier closed, BooleanSupplier optedOut,
            Supplier<SignalSink> sink, Supplier<@Nullable PosthogSpan> activeSpan) {
        this.settings = settings;
        this.closed = closed;
        this.optedOut = optedOut;
        this.sink = sink;
        this.activeSpan = activeSpan;
    }

    /**
     * Captures a record. Never throws, never blocks.
     * @param options the record
     */
    public void capture(@Nullable LogOptions options) {
        if (options == null || this.closed.getAsBoolean() || this.optedOut.getAsBoolean()) {
            return;
        }
        SignalSink target = null;
        try {
            target = this.sink.get();
            String body = options.body();
            if (body == null || body.isBlank()) {
                target.dropped(DropReason.INVALID, 1);
                return;
            }
            ClientSettings s = this.settings.get();
            long millis = s.customClock() ? s.clock().millis() : System.currentTimeMillis();
            long time = this.clock.next(millis);
            Map<String, @Nullable Object> attributes = attributes(options.attributes());
            String traceId = options.traceId();
            String spanId = options.spanId();
            if (traceId == null && spanId == null) {
                PosthogSpan active = this.activeSpan.get();
                if (active != null) {
                    traceId = active.traceId();
                    spanId = active.spanId();
                }
            }
            LogSeverity severity = options.severity();
            Integer flags = options.traceFlags();
            LogsConfig config = s.logs();
            List<BeforeSendLogHook> hooks = config.beforeSend();
            if (!hooks.isEmpty()) {
                PosthogLogRecord view = runHooks(hooks,
                        new PosthogLogRecord(body, severity,
                                (attributes instanceof LinkedHashMap) ? attributes : new LinkedHashMap<>(attributes),
                                traceId, spanId, flags, Instant.ofEpochSecond(0, time)),
                        target);
                if (view == null) {
                    return;
                }
                body = view.body();
                severity = view.severity();
                attributes = view.attributes();
                traceId = view.traceId();
                spanId = view.spanId();
                flags = view.traceFlags();
            }
            if (config.rateCapped()
                    && !this.rateCap.tryAcquire(config.rateCapMaxLogs(), config.rateCapWindow().toNanos())) {
                target.dropped(DropReason.RATE_LIMITED, 1);
                if (this.rateCap.firstRefusal()) {
                    target.warnNow("PostHog logs rate cap reached: more than " + config.rateCapMaxLogs()
                            + " log records in " + config.rateCapWindow() + "; the rest of this window's records "
                            + "are dropped (posthog.logs.rate-cap-max-logs, posthog.logs.rate-cap-window)");
                }
                return;
            }
            target.offer(new LogRecordData(time, severity, body, attributes, validTraceId(traceId), validSpanId(spanId),
                    validFlags(flags)), millis);
        }
        catch (RuntimeException ex) {
            // never let a bug of ours reach the caller
            if (target != null) {
                String problem = ex.getClass().getName();
                target.dropped(DropReason.INVALID, 1,
                        () -> "Dropped a log record after an unexpected error: " + problem);
            }
        }
    }

    /**
     * The context's ids first, then the record's own attributes, which win (a null value
     * removes the key from the record). Without context ids, the record's own attributes
     * as they are ({@link LogOptions} holds a private, unmodifiable copy).
     */
    private static Map<String, @Nullable Object> attributes(Map<String, @Nullable Object> own) {
        PosthogContext context = PosthogContextHolder.getContext();
        if (context == null || (context.distinctId() == null && context.sessionId() == null)) {
            return own;
        }
        Map<String, @Nullable Object> attributes = new LinkedHashMap<>(own.size() + 2);
        if (context.distinctId() != null) {
            attributes.put(DISTINCT_ID, context.distinctId());
        }
        if (context.sessionId() != null) {
            attributes.put(SESSION_ID, context.sessionId());
        }
        attributes.putAll(own);
        return attributes;
    }

    private static @Nullable PosthogLogRecord runHooks(List<BeforeSendLogHook> hooks, PosthogLogRecord record,
            SignalSink target) {
        PosthogLogRecord current = record;
        for (BeforeSendLogHook hook : hooks) {
            PosthogLogRecord next;
            try {
                next = hook.apply(current);
            }
            catch (RuntimeException | LinkageError ex) {
                // fail open, as the logs specification asks: the record goes on as it was
                String name = hook.getClass().getName();
                String problem = ex.getClass().getName();
                target.warn(DropReason.BEFORE_SEND, () -> "A PostHog log before-send hook (" + name + ") threw "
                        + problem + "; the record was sent as it was before that hook");
                continue;
            }
            if (next == null || next.body() == null || next.body().isBlank()) {
                target.dropped(DropReason.BEFORE_SEND, 1);
                return null;
            }
            current = next;
        }
        return current;
    }

    private static @Nullable String validTraceId(@Nullable String id) {
        return TraceContext.isValidTraceId(id) ? id : null;
    }

    private static @Nullable String validSpanId(@Nullable String id) {
        return TraceContext.isValidSpanId(id) ? id : null;
    }

    private static @Nullable Integer validFlags(@Nullable Integer flags) {
        return (flags != null && flags >= 0 && flags <= 0xFF) ? flags : null;
    }

}
