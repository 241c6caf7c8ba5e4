package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.internal.Log;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Captures {@code $feature_flag_called} once per (distinct id, flag, value, groups), with
 * the documented properties. The dedupe set is a bounded LRU ({@link FlagCalledTracker});
 * it is cleared when the definitions change and when the client closes. When the source
 * of the value turned minimal events on (the {@code /flags} answer's
 * {@code minimalFlagCalledEvents}, or the definitions'
 * {@code minimal_flag_called_events}) and the flag is known to have no experiment
 * ({@code has_experiment: false}), the event keeps only {@link #MINIMAL_PROPERTIES}
 * (super properties included); any missing signal sends the full event. Never throws.
 */
final class FlagCalledReporter {

    private static final Log log = Log.CLIENT;

    static final int TRACKER_CAPACITY = 50_000;

    /**
     * What a minimal event keeps: flag identity and outcome, evaluation debug scalars,
     * group and person-processing context, SDK linkage, and the session-attribution
     * properties (posthog-python's allowlist, which the cross-SDK spec names as the
     * reference, plus the spec's session-attribution category).
     */
    static final Set<String> MINIMAL_PROPERTIES = Set.of("$feature_flag", "$feature_flag_response",
            "$feature_flag_has_experiment", "$feature_flag_id", "$feature_flag_version", "$feature_flag_reason",
            "$feature_flag_request_id", "$feature_flag_evaluated_at", "$feature_flag_error", "locally_evaluated",
            "$groups", "$process_person_profile", "$session_id", "$lib", "$lib_version", "$is_server", "$geoip_disable",
            "$os", "$os_version", "$os_distro", "$referring_domain", "utm_source", "utm_medium", "utm_campaign",
            "utm_content", "utm_term", "gad_source", "mc_cid", "gclid", "gbraid", "wbraid", "fbclid", "msclkid",
            "twclid", "li_fat_id", "igshid", "ttclid", "rdt_cid", "epik", "qclid", "sccid", "irclid", "_kx");

    private final FeatureFlags.EventCapture capture;

    private final FlagCalledTracker tracker;

    /**
     * @param capture captures an event
     */
    FlagCalledReporter(FeatureFlags.EventCapture capture) {
        this(capture, TRACKER_CAPACITY);
    }

    FlagCalledReporter(FeatureFlags.EventCapture capture, int capacity) {
        this.capture = capture;
        this.tracker = new FlagCalledTracker(capacity);
    }

    /** For tests: every event is captured with its full properties. */
    FlagCalledReporter(Function<CaptureOptions, String> capture, int capacity) {
        this((options, allowlist) -> capture.apply(options), capacity);
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
            this.capture.capture(event.build(), minimal(flag) ? MINIMAL_PROPERTIES : null);
        }
        catch (RuntimeException ex) {
            log.debug("Could not capture $feature_flag_called", ex);
        }
    }

    /**
     * Whether the event is minimal: the gate is on and the flag is known to have no
     * experiment.
     */
    static boolean minimal(EvaluatedFlag flag) {
        return flag != null && flag.minimalEvents() && Boolean.FALSE.equals(flag.hasExperiment());
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
        if (flag != null && flag.hasExperiment() != null) {
            props.put("$feature_flag_has_experiment", flag.hasExperiment());
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
