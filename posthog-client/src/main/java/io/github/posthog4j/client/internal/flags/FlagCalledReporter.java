package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.internal.Log;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Captures {@code $feature_flag_called} once per (distinct id, flag, value, groups), with
 * the documented properties. The dedupe set is a bounded LRU ({@link FlagCalledTracker});
 * it is cleared when the definitions change and when the client closes. Never throws.
 */
final class FlagCalledReporter {

    private static final Log log = Log.CLIENT;

    static final int TRACKER_CAPACITY = 50_000;

    private final Function<CaptureOptions, String> capture;

    private final FlagCalledTracker tracker;

    /**
     * @param capture captures an event
     */
    FlagCalledReporter(Function<CaptureOptions, String> capture) {
        this(capture, TRACKER_CAPACITY);
    }

    FlagCalledReporter(Function<CaptureOptions, String> capture, int capacity) {
        this.capture = capture;
        this.tracker = new FlagCalledTracker(capacity);
    }

    /**
     * Captures the event unless this combination was already reported.
     * @param call the flag read
     */
    void report(FlagCall call) {
        try {
            EvaluatedFlag flag = call.flag();
            Object value = (flag != null) ? flag.result().value() : null;
            if (!this.tracker.firstTime(call.distinctId(), call.key(), value, call.groups())) {
                return;
            }
            CaptureOptions.Builder event = CaptureOptions.builder(call.distinctId(), "$feature_flag_called")
                .properties(properties(call, value))
                .groups(call.groups());
            if (call.disableGeoip() != null) {
                event.disableGeoip(call.disableGeoip());
            }
            this.capture.apply(event.build());
        }
        catch (RuntimeException ex) {
            log.debug("Could not capture $feature_flag_called", ex);
        }
    }

    static Map<String, Object> properties(FlagCall call, Object value) {
        EvaluatedFlag flag = call.flag();
        RemoteMeta meta = call.meta();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("$feature_flag", call.key());
        props.put("$feature_flag_response", value);
        props.put("locally_evaluated", flag != null && flag.local());
        props.put("$feature/" + call.key(), value);
        if (flag != null && flag.payload() != null) {
            props.put("$feature_flag_payload", flag.payload());
        }
        if (meta != null && meta.requestId() != null) {
            props.put("$feature_flag_request_id", meta.requestId());
        }
        if (meta != null && meta.evaluatedAt() != null) {
            props.put("$feature_flag_evaluated_at", meta.evaluatedAt());
        }
        RemoteFlag remote = (flag != null) ? flag.remote() : null;
        if (remote != null) {
            if (remote.reason() != null) {
                props.put("$feature_flag_reason", remote.reason());
            }
            if (remote.version() != null) {
                props.put("$feature_flag_version", remote.version());
            }
            if (remote.id() != null) {
                props.put("$feature_flag_id", remote.id());
            }
        }
        if (call.error() != null) {
            props.put("$feature_flag_error", call.error());
        }
        return props;
    }

    /** Forgets every reported combination (new definitions, close). */
    void clear() {
        this.tracker.clear();
    }

    /**
     * @return how many combinations are remembered
     */
    int trackedCalls() {
        return this.tracker.size();
    }

}
