package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.internal.flags.AllFlagsResult;
import io.github.posthog4j.client.internal.flags.EvaluationReason;
import io.github.posthog4j.client.internal.flags.FlagDefinitions;
import io.github.posthog4j.client.internal.flags.FlagDefinitionsParseException;
import io.github.posthog4j.client.internal.flags.FlagEvaluationContext;
import io.github.posthog4j.client.internal.flags.FlagEvaluationResult;
import io.github.posthog4j.client.internal.flags.LocalFlagEvaluator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The feature-flag side of the client: local evaluation from polled definitions, remote
 * evaluation through {@code POST /flags/?v=2}, {@code $feature_flag_called} events and
 * the stored properties for flags. Owned by {@link DefaultPosthogClient} (its state
 * survives engine restarts, like the queue); the definitions poller thread belongs to the
 * {@link DeliveryEngine}. Never throws to callers.
 */
final class FeatureFlags {

    private static final Log log = Log.CLIENT;

    static final String DEFINITIONS_PATH = "/api/feature_flag/local_evaluation/";
    static final long RETRY_BACKOFF_MILLIS = 300;
    static final int TRACKER_CAPACITY = 50_000;
    static final int STORED_PROPERTIES_CAPACITY = 10_000;

    private final Supplier<ClientSettings> settings;

    private final RequestObserver requests;

    private final Function<CaptureOptions, String> capture;

    private final FlagCalledTracker tracker = new FlagCalledTracker(TRACKER_CAPACITY);

    /** Null until definitions were loaded (or after they were cleared). */
    private volatile LocalFlagEvaluator evaluator;

    private volatile String etag;

    private volatile long loadedAtMillis;

    private volatile String lastLoaderError;

    private volatile boolean loaderWarned;

    private final Object loadLock = new Object();

    private final LongAdder localCount = new LongAdder();

    private final LongAdder remoteCount = new LongAdder();

    private final LongAdder fallbackCount = new LongAdder();

    private final LongAdder failedCount = new LongAdder();

    private volatile String lastRemoteError;

    private final WarnLimiter remoteWarnings = new WarnLimiter(log, TimeUnit.SECONDS.toNanos(30));

    private final Map<String, Map<String, Object>> personProperties = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > STORED_PROPERTIES_CAPACITY;
        }
    };

    /** group type to group key to properties. Guarded by itself. */
    private final Map<String, Map<String, Map<String, Object>>> groupProperties = new LinkedHashMap<>();

    private FlagsHttp remoteHttp;

    /**
     * Set by close: no HTTP client is created afterwards (it would outlive the client).
     */
    private volatile boolean closed;

    /**
     * @param settings the client's current settings
     * @param requests where requests are reported
     * @param capture captures an event ({@code $feature_flag_called})
     */
    FeatureFlags(Supplier<ClientSettings> settings, RequestObserver requests,
            Function<CaptureOptions, String> capture) {
        this.settings = settings;
        this.requests = requests;
        this.capture = capture;
    }

    // ------------------------------------------------------------------------------------------
    // inputs

    /**
     * The resolved inputs of one evaluation: call options merged over stored properties.
     */
    record Inputs(String distinctId, Map<String, String> groups, Map<String, Object> personProperties,
            Map<String, Map<String, Object>> groupProperties, boolean onlyLocal, boolean sendEvents,
            Boolean disableGeoipOption, boolean disableGeoip, Set<String> keys, String deviceId) {

        FlagEvaluationContext context() {
            return new FlagEvaluationContext(distinctId, groups, personProperties, groupProperties, deviceId);
        }
    }

    Inputs inputs(String distinctId, FlagOptions options) {
        FlagOptions o = (options != null) ? options : FlagOptions.none();
        ClientSettings s = settings.get();
        Map<String, Object> person = new LinkedHashMap<>();
        synchronized (personProperties) {
            Map<String, Object> stored = personProperties.get(distinctId);
            if (stored != null) {
                person.putAll(stored);
            }
        }
        person.putAll(o.personProperties());
        Map<String, Map<String, Object>> groupProps = new LinkedHashMap<>();
        synchronized (groupProperties) {
            o.groups().forEach((type, key) -> {
                Map<String, Map<String, Object>> byKey = groupProperties.get(type);
                Map<String, Object> stored = (byKey != null) ? byKey.get(key) : null;
                if (stored != null) {
                    groupProps.put(type, new LinkedHashMap<>(stored));
                }
            });
        }
        o.groupProperties()
            .forEach((type, props) -> groupProps.computeIfAbsent(type, t -> new LinkedHashMap<>()).putAll(props));
        boolean send = (o.sendFeatureFlagEvents() != null) ? o.sendFeatureFlagEvents()
                : s.flags().sendFeatureFlagEvents();
        boolean geoip = (o.disableGeoip() != null) ? o.disableGeoip() : s.disableGeoip();
        return new Inputs(distinctId, o.groups(), person, groupProps, o.onlyEvaluateLocally(), send, o.disableGeoip(),
                geoip, o.flagKeys(), o.deviceId());
    }

    // ------------------------------------------------------------------------------------------
    // one flag

    /** One evaluated flag, with what the {@code $feature_flag_called} event needs. */
    record Entry(FeatureFlagResult result, JsonNode payload, boolean local, RemoteFlag remote) {
    }

    /** The outcome of evaluating one flag: entry null when unknown. */
    record Single(Entry entry, RemoteMeta meta, String error) {
    }

    FeatureFlagResult result(String key, String distinctId, FlagOptions options, boolean track) {
        if (isBlank(key) || isBlank(distinctId)) {
            log.debug("Feature flag evaluation needs a flag key and a distinct id; returning the default");
            return null;
        }
        try {
            Inputs in = inputs(distinctId, options);
            Single single = evaluateOne(key, in);
            if (track && in.sendEvents()) {
                flagCalled(in.distinctId(), key, single.entry(), single.meta(), single.error(), in.groups(),
                        in.disableGeoipOption());
            }
            return (single.entry() != null) ? single.entry().result() : null;
        }
        catch (RuntimeException ex) {
            failedCount.increment();
            log.warn("PostHog feature flag '" + Texts.abbreviate(key)
                    + "' could not be evaluated; returning the default: " + ex);
            return null;
        }
    }

    private Single evaluateOne(String key, Inputs in) {
        LocalFlagEvaluator ev = evaluator;
        boolean localOn = settings.get().flags().localEvaluation();
        if (ev != null) {
            FlagEvaluationResult r = ev.evaluate(key, in.context());
            if (!r.isInconclusive()) {
                localCount.increment();
                return new Single(localEntry(r), null, null);
            }
            if (r.reason() == EvaluationReason.GROUP_NOT_SUPPLIED) {
                // PostHog answers false for a group flag without its group: no need to
                // ask.
                localCount.increment();
                return new Single(new Entry(new FeatureFlagResult(key, false, null, null, "group_not_supplied", true),
                        null, true, null), null, null);
            }
        }
        if (in.onlyLocal()) {
            return new Single(null, null, null);
        }
        (localOn ? fallbackCount : remoteCount).increment();
        RemoteResponse response = fetchRemote(in, List.of(key));
        if (response.error() != null) {
            return new Single(null, response.meta(), response.error());
        }
        RemoteFlag flag = response.flags().get(key);
        List<String> errors = new ArrayList<>(2);
        if (response.meta().errorsWhileComputing()) {
            errors.add("errors_while_computing_flags");
        }
        if (flag == null) {
            errors.add("flag_missing");
        }
        String error = errors.isEmpty() ? null : String.join(",", errors);
        return new Single((flag != null) ? remoteEntry(flag) : null, response.meta(), error);
    }

    private static Entry localEntry(FlagEvaluationResult r) {
        JsonNode payload = r.payload();
        FeatureFlagResult result = new FeatureFlagResult(r.key(), r.isEnabled(), r.variant(),
                (payload != null) ? payload.toString() : null, r.reason().name().toLowerCase(java.util.Locale.ROOT),
                true);
        return new Entry(result, payload, true, null);
    }

    private static Entry remoteEntry(RemoteFlag f) {
        FeatureFlagResult result = new FeatureFlagResult(f.key(), f.enabled(), f.variant(),
                (f.payload() != null) ? f.payload().toString() : null, f.reason(), false);
        return new Entry(result, f.payload(), false, f);
    }

    // ------------------------------------------------------------------------------------------
    // all flags

    /**
     * Every flag of one evaluation, with the remote request's metadata if one was made.
     */
    record All(Map<String, Entry> entries, RemoteMeta meta, String error) {
    }

    All all(String distinctId, FlagOptions options) {
        if (isBlank(distinctId)) {
            return new All(Map.of(), null, null);
        }
        try {
            return evaluateAll(inputs(distinctId, options));
        }
        catch (RuntimeException ex) {
            failedCount.increment();
            log.warn("PostHog feature flags could not be evaluated; returning none: " + ex);
            return new All(Map.of(), null, null);
        }
    }

    private All evaluateAll(Inputs in) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        LocalFlagEvaluator ev = evaluator;
        boolean localOn = settings.get().flags().localEvaluation();
        boolean needRemote = true;
        if (ev != null) {
            AllFlagsResult r = ev.evaluateAll(in.context(), in.keys().isEmpty() ? null : in.keys());
            r.results().forEach((k, v) -> entries.put(k, localEntry(v)));
            needRemote = false;
            for (FlagEvaluationResult inc : r.inconclusive().values()) {
                if (inc.reason() == EvaluationReason.GROUP_NOT_SUPPLIED) {
                    entries.put(inc.key(),
                            new Entry(new FeatureFlagResult(inc.key(), false, null, null, "group_not_supplied", true),
                                    null, true, null));
                }
                else {
                    needRemote = true;
                }
            }
        }
        if (!needRemote) {
            localCount.increment();
            return new All(entries, null, null);
        }
        if (in.onlyLocal()) {
            return new All(entries, null, null);
        }
        (localOn ? fallbackCount : remoteCount).increment();
        RemoteResponse response = fetchRemote(in, in.keys().isEmpty() ? null : in.keys());
        if (response.error() == null) {
            response.flags().forEach((k, f) -> entries.putIfAbsent(k, remoteEntry(f)));
        }
        String error = response.error();
        if (error == null && response.meta().errorsWhileComputing()) {
            error = "errors_while_computing_flags";
        }
        return new All(entries, response.meta(), error);
    }

    FlagsAndPayloads flagsAndPayloads(String distinctId, FlagOptions options) {
        All all = all(distinctId, options);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> payloads = new LinkedHashMap<>();
        all.entries().forEach((k, e) -> {
            values.put(k, e.result().value());
            if (e.result().payload() != null) {
                payloads.put(k, e.result().payload());
            }
        });
        return new FlagsAndPayloads(values, payloads);
    }

    FeatureFlagEvaluations evaluateFlags(String distinctId, FlagOptions options) {
        String id = (distinctId != null) ? distinctId : "";
        if (isBlank(distinctId)) {
            return new Snapshot(this, id, Map.of(), Map.of(), false, null, null, null);
        }
        Inputs in;
        try {
            in = inputs(distinctId, options);
        }
        catch (RuntimeException ex) {
            log.warn("PostHog feature flags could not be evaluated; returning an empty snapshot: " + ex);
            return new Snapshot(this, id, Map.of(), Map.of(), false, null, null, null);
        }
        All all = all(distinctId, options);
        return new Snapshot(this, distinctId, all.entries(), in.groups(), in.sendEvents(), in.disableGeoipOption(),
                all.meta(), all.error());
    }

    // ------------------------------------------------------------------------------------------
    // events

    /** Sends {@code $feature_flag_called} once per (distinct id, flag, value, groups). */
    void flagCalled(String distinctId, String key, Entry entry, RemoteMeta meta, String error,
            Map<String, String> groups, Boolean disableGeoip) {
        try {
            Object value = (entry != null) ? entry.result().value() : null;
            if (!tracker.firstTime(distinctId, key, value, groups)) {
                return;
            }
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("$feature_flag", key);
            props.put("$feature_flag_response", value);
            props.put("locally_evaluated", entry != null && entry.local());
            props.put("$feature/" + key, value);
            if (entry != null && entry.payload() != null) {
                props.put("$feature_flag_payload", entry.payload());
            }
            if (meta != null && meta.requestId() != null) {
                props.put("$feature_flag_request_id", meta.requestId());
            }
            if (meta != null && meta.evaluatedAt() != null) {
                props.put("$feature_flag_evaluated_at", meta.evaluatedAt());
            }
            RemoteFlag remote = (entry != null) ? entry.remote() : null;
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
            if (error != null) {
                props.put("$feature_flag_error", error);
            }
            CaptureOptions.Builder event = CaptureOptions.builder(distinctId, "$feature_flag_called")
                .properties(props)
                .groups(groups);
            if (disableGeoip != null) {
                event.disableGeoip(disableGeoip);
            }
            capture.apply(event.build());
        }
        catch (RuntimeException ex) {
            log.debug("Could not capture $feature_flag_called", ex);
        }
    }

    /**
     * Adds {@code $feature/<key>} and {@code $active_feature_flags} for a capture that
     * asked for them.
     */
    Map<String, Object> enrichCapture(CaptureOptions options, Map<String, Object> props) {
        return enrichCapture(options, props, true);
    }

    /**
     * Like {@link #enrichCapture(CaptureOptions, Map)}; without {@code allowRemote} no
     * {@code /flags} request is made (flags that local definitions cannot decide are left
     * out).
     */
    Map<String, Object> enrichCapture(CaptureOptions options, Map<String, Object> props, boolean allowRemote) {
        try {
            Map<String, Object> values;
            if (options.flags() != null) {
                values = options.flags().values();
            }
            else if (options.sendFeatureFlags() && !isBlank(options.distinctId())) {
                FlagOptions base = (options.featureFlagOptions() != null) ? options.featureFlagOptions()
                        : FlagOptions.none();
                FlagOptions.Builder b = FlagOptions.builder()
                    .groups(options.groups())
                    .groups(base.groups())
                    .personProperties(base.personProperties())
                    .groupProperties(base.groupProperties())
                    .flagKeys(base.flagKeys())
                    .deviceId(base.deviceId())
                    .onlyEvaluateLocally(base.onlyEvaluateLocally() || !allowRemote || evaluator != null);
                if (base.disableGeoip() != null) {
                    b.disableGeoip(base.disableGeoip());
                }
                Map<String, Object> v = new LinkedHashMap<>();
                all(options.distinctId(), b.build()).entries().forEach((k, e) -> v.put(k, e.result().value()));
                values = v;
            }
            else {
                return props;
            }
            if (values.isEmpty()) {
                return props;
            }
            Map<String, Object> out = (props != null) ? props : new LinkedHashMap<>();
            Set<String> active = new TreeSet<>();
            values.forEach((k, v) -> {
                out.putIfAbsent("$feature/" + k, v);
                if (v instanceof String || Boolean.TRUE.equals(v)) {
                    active.add(k);
                }
            });
            out.putIfAbsent("$active_feature_flags", new ArrayList<>(active));
            return out;
        }
        catch (RuntimeException ex) {
            log.debug("Could not attach feature flags to the event", ex);
            return props;
        }
    }

    // ------------------------------------------------------------------------------------------
    // stored properties

    void setPersonProperties(String distinctId, Map<String, ?> props) {
        if (isBlank(distinctId) || props == null || props.isEmpty()) {
            return;
        }
        synchronized (personProperties) {
            personProperties.computeIfAbsent(distinctId, d -> new LinkedHashMap<>()).putAll(props);
        }
    }

    void resetPersonProperties(String distinctId) {
        synchronized (personProperties) {
            if (distinctId == null) {
                personProperties.clear();
            }
            else {
                personProperties.remove(distinctId);
            }
        }
    }

    void setGroupProperties(String groupType, String groupKey, Map<String, ?> props) {
        if (isBlank(groupType) || isBlank(groupKey) || props == null || props.isEmpty()) {
            return;
        }
        synchronized (groupProperties) {
            Map<String, Map<String, Object>> byKey = groupProperties.computeIfAbsent(groupType,
                    t -> new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                            return size() > STORED_PROPERTIES_CAPACITY;
                        }
                    });
            byKey.computeIfAbsent(groupKey, k -> new LinkedHashMap<>()).putAll(props);
        }
    }

    void resetGroupProperties(String groupType) {
        synchronized (groupProperties) {
            if (groupType == null) {
                groupProperties.clear();
            }
            else {
                groupProperties.remove(groupType);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // remote

    /** Request-level metadata of a {@code /flags} response. */
    record RemoteMeta(String requestId, Object evaluatedAt, boolean errorsWhileComputing) {
    }

    /** One flag of a {@code /flags} response. */
    record RemoteFlag(String key, boolean enabled, String variant, JsonNode payload, String reason, Long id,
            Integer version) {
    }

    /** A {@code /flags} outcome: error null when PostHog answered. */
    record RemoteResponse(Map<String, RemoteFlag> flags, RemoteMeta meta, String error) {
    }

    RemoteResponse fetchRemote(Inputs in, Collection<String> keys) {
        ClientSettings s = settings.get();
        byte[] body;
        try {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("token", s.apiKey());
            req.put("distinct_id", in.distinctId());
            req.put("groups", in.groups());
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("distinct_id", in.distinctId());
            person.putAll(in.personProperties());
            req.put("person_properties", person);
            Map<String, Object> groupProps = new LinkedHashMap<>();
            in.groupProperties().forEach((t, p) -> groupProps.put(t, p));
            in.groups().forEach((t, k) -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("$group_key", k);
                Map<String, Object> given = in.groupProperties().get(t);
                if (given != null) {
                    p.putAll(given);
                }
                groupProps.put(t, p);
            });
            req.put("group_properties", groupProps);
            req.put("geoip_disable", in.disableGeoip());
            if (keys != null && !keys.isEmpty()) {
                req.put("flag_keys_to_evaluate", new ArrayList<>(keys));
            }
            if (in.deviceId() != null) {
                req.put("device_id", in.deviceId());
            }
            body = EventSerializer.MAPPER.writeValueAsBytes(req);
        }
        catch (JsonProcessingException | RuntimeException ex) {
            return remoteFailed("unknown_error", "the flag request could not be serialized: " + ex.getMessage());
        }
        String url = s.host() + "/flags/?v=2";
        FlagsHttp http = remoteHttp(s);
        if (http == null) {
            return remoteFailed("client_closed", "the PostHog client is closed");
        }
        FlagsHttp.Response response = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            long start = System.nanoTime();
            response = http.postJson(url, body);
            boolean retryable = response.status() == 0 || response.status() == 502 || response.status() == 504;
            report("flags", attempt, response, retryable, body.length, start);
            if (!retryable || attempt == 2) {
                break;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (response.status() == 0) {
            return remoteFailed(response.timeout() ? "timeout" : "connection_error", scrub(response.error()));
        }
        if (response.status() < 200 || response.status() > 299) {
            return remoteFailed("api_error_" + response.status(), "HTTP " + response.status());
        }
        if (response.body() == null) {
            return remoteFailed("unknown_error", scrub(response.error()));
        }
        try {
            JsonNode root = EventSerializer.MAPPER.readTree(response.body());
            if (root == null || !root.isObject()) {
                return remoteFailed("unknown_error", "the /flags response is not a JSON object");
            }
            JsonNode quota = root.path("quotaLimited");
            if (quota.isArray()) {
                for (JsonNode q : quota) {
                    if ("feature_flags".equals(q.asText())) {
                        return remoteFailed("quota_limited", "PostHog feature flags are quota limited (see "
                                + "https://posthog.com/docs/billing/limits-alerts)");
                    }
                }
            }
            RemoteMeta meta = new RemoteMeta(text(root.get("requestId")), scalar(root.get("evaluatedAt")),
                    root.path("errorsWhileComputingFlags").asBoolean(false));
            return new RemoteResponse(parseFlags(root), meta, null);
        }
        catch (java.io.IOException | RuntimeException ex) {
            return remoteFailed("unknown_error", "malformed /flags response: " + ex.getClass().getSimpleName());
        }
    }

    static Map<String, RemoteFlag> parseFlags(JsonNode root) {
        Map<String, RemoteFlag> flags = new LinkedHashMap<>();
        JsonNode v2 = root.get("flags");
        if (v2 != null && v2.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v2.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode f = e.getValue();
                if (!f.isObject()) {
                    continue;
                }
                String variant = text(f.get("variant"));
                boolean enabled = f.path("enabled").asBoolean(false) || variant != null;
                JsonNode metadata = f.path("metadata");
                JsonNode reason = f.path("reason");
                String description = text(reason.get("description"));
                if (description == null) {
                    description = text(reason.get("code"));
                }
                Long id = metadata.path("id").isIntegralNumber() ? metadata.path("id").asLong() : null;
                Integer version = metadata.path("version").isIntegralNumber() ? metadata.path("version").asInt() : null;
                flags.put(e.getKey(), new RemoteFlag(e.getKey(), enabled, variant,
                        enabled ? decodePayload(metadata.get("payload")) : null, description, id, version));
            }
            return flags;
        }
        JsonNode v1 = root.get("featureFlags");
        JsonNode payloads = root.path("featureFlagPayloads");
        if (v1 != null && v1.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v1.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                String variant = v.isTextual() ? v.asText() : null;
                boolean enabled = variant != null || v.asBoolean(false);
                flags.put(e.getKey(), new RemoteFlag(e.getKey(), enabled, variant,
                        enabled ? decodePayload(payloads.get(e.getKey())) : null, null, null, null));
            }
        }
        return flags;
    }

    static JsonNode decodePayload(JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return null;
        }
        if (raw.isTextual()) {
            String t = raw.asText();
            if (t.isEmpty()) {
                return null;
            }
            try {
                return EventSerializer.MAPPER.readTree(t);
            }
            catch (JsonProcessingException ex) {
                return TextNode.valueOf(t);
            }
        }
        return raw;
    }

    private static String text(JsonNode n) {
        return (n == null || n.isNull() || !n.isValueNode()) ? null : n.asText();
    }

    private static Object scalar(JsonNode n) {
        if (n == null || n.isNull() || !n.isValueNode()) {
            return null;
        }
        return n.isIntegralNumber() ? (Object) n.asLong() : n.asText();
    }

    private RemoteResponse remoteFailed(String code, String detail) {
        failedCount.increment();
        lastRemoteError = code + ((detail != null) ? ": " + detail : "");
        remoteWarnings.warn("PostHog could not evaluate feature flags (" + lastRemoteError + "); returning defaults");
        return new RemoteResponse(Map.of(), null, code);
    }

    private synchronized FlagsHttp remoteHttp(ClientSettings s) {
        if (closed) {
            return null;
        }
        if (remoteHttp == null) {
            remoteHttp = new FlagsHttp(s, "posthog-flags-remote-http-");
        }
        return remoteHttp;
    }

    /** Releases the remote HTTP client; the next remote evaluation creates a new one. */
    void closeRemote() {
        FlagsHttp http;
        synchronized (this) {
            http = remoteHttp;
            remoteHttp = null;
        }
        if (http != null) {
            http.close();
        }
    }

    private void report(String endpoint, int attempt, FlagsHttp.Response r, boolean retryable, long bytes,
            long startNanos) {
        if (!requests.active()) {
            return;
        }
        RequestReport.Outcome outcome = (r.status() >= 200 && r.status() < 300) || r.status() == 304
                ? RequestReport.Outcome.SUCCESS
                : (retryable ? RequestReport.Outcome.RETRYABLE_ERROR : RequestReport.Outcome.REJECTED);
        requests.report(new RequestReport(endpoint, attempt, r.status(), outcome, 0, List.of(), bytes,
                Duration.ofNanos(System.nanoTime() - startNanos), (r.error() != null) ? scrub(r.error())
                        : (outcome == RequestReport.Outcome.SUCCESS ? null : "HTTP " + r.status())));
    }

    private String scrub(String text) {
        if (text == null) {
            return null;
        }
        ClientSettings s = settings.get();
        String out = text.replace(s.apiKey(), "(hidden)");
        String personal = s.flags().personalApiKey();
        return (personal != null) ? out.replace(personal, "(hidden)") : out;
    }

    // ------------------------------------------------------------------------------------------
    // definitions

    /**
     * Loads the definitions once (called on the {@code posthog-flags} thread). Never
     * throws.
     */
    void loadDefinitions(FlagsHttp http) {
        synchronized (loadLock) {
            ClientSettings s = settings.get();
            FlagSettings fs = s.flags();
            if (fs.personalApiKey() == null) {
                return;
            }
            long start = System.nanoTime();
            String url = s.host() + DEFINITIONS_PATH + "?token=" + URLEncoder.encode(s.apiKey(), StandardCharsets.UTF_8)
                    + "&send_cohorts";
            FlagsHttp.Response r;
            try {
                r = http.get(url, fs.personalApiKey(), etag, fs.maxDefinitionsBytes());
            }
            catch (RuntimeException ex) {
                r = new FlagsHttp.Response(0, null, null, ex.toString(), false, false);
            }
            boolean retryable = r.status() == 0 || r.status() >= 500;
            report("definitions", 1, r, retryable, 0, start);
            int status = r.status();
            if (status == 304) {
                loaded(r.etag() != null ? r.etag() : etag, null);
                return;
            }
            if (status == 200) {
                if (r.tooLarge()) {
                    loaderFailed("the definitions response is larger than " + fs.maxDefinitionsBytes() + " bytes");
                    return;
                }
                FlagDefinitions defs;
                try {
                    defs = FlagDefinitions.parse(r.body());
                }
                catch (FlagDefinitionsParseException ex) {
                    loaderFailed("malformed definitions JSON (" + scrub(ex.getMessage()) + ")");
                    return;
                }
                loaded(r.etag(), defs);
                return;
            }
            if (status == 402) {
                evaluator = null;
                etag = null;
                tracker.clear();
                loaderFailed("HTTP 402: feature flags are quota limited; local definitions cleared (see "
                        + "https://posthog.com/docs/billing/limits-alerts)");
                return;
            }
            if (status == 401 || status == 403) {
                loaderFailed("HTTP " + status + ": PostHog refused the personal API key for local evaluation; "
                        + "check the personal API key (it needs feature flag read access)");
                return;
            }
            loaderFailed((status == 0) ? "PostHog unreachable (" + scrub(r.error()) + ")" : "HTTP " + status);
        }
    }

    private void loaded(String newEtag, FlagDefinitions defs) {
        if (defs != null) {
            evaluator = new LocalFlagEvaluator(defs);
            tracker.clear();
        }
        etag = newEtag;
        loadedAtMillis = System.currentTimeMillis();
        if (lastLoaderError != null && loaderWarned) {
            log.info("PostHog feature flag definitions loaded again");
        }
        lastLoaderError = null;
        loaderWarned = false;
    }

    private void loaderFailed(String error) {
        lastLoaderError = error;
        LocalFlagEvaluator ev = evaluator;
        String message = "PostHog feature flag definitions could not be loaded: " + error + "; "
                + ((ev != null) ? "keeping the last good definitions (" + ev.definitions().flags().size() + " flags)"
                        : "flags are evaluated by PostHog until definitions load")
                + ". Retrying every " + settings.get().flags().pollInterval() + ".";
        if (!loaderWarned) {
            loaderWarned = true;
            log.warn(message);
        }
        else if (log.isDebugEnabled()) {
            log.debug(message);
        }
    }

    /**
     * Forgets definitions that came from another project, host or key, and the old remote
     * HTTP client.
     */
    void settingsChanging(ClientSettings old, ClientSettings next) {
        closeRemote();
        if (!old.host().equals(next.host()) || !old.apiKey().equals(next.apiKey())
                || !java.util.Objects.equals(old.flags().personalApiKey(), next.flags().personalApiKey())
                || !next.flags().localEvaluation()) {
            synchronized (loadLock) {
                evaluator = null;
                etag = null;
                loadedAtMillis = 0;
                lastLoaderError = null;
                loaderWarned = false;
            }
            tracker.clear();
        }
    }

    boolean definitionsLoaded() {
        return evaluator != null;
    }

    PosthogFlagsStatus status(boolean pollerRunning) {
        LocalFlagEvaluator ev = evaluator;
        long at = loadedAtMillis;
        Instant loadedAt = (at == 0) ? null : Instant.ofEpochMilli(at);
        Duration age = (at == 0) ? null : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - at));
        return new PosthogFlagsStatus(settings.get().flags().localEvaluation(), pollerRunning, ev != null,
                (ev != null) ? ev.definitions().flags().size() : 0, loadedAt, age, lastLoaderError, localCount.sum(),
                remoteCount.sum(), fallbackCount.sum(), failedCount.sum(), lastRemoteError);
    }

    /** Called by close: nothing of this client's flag state outlives it. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        closeRemote();
        tracker.clear();
    }

    int trackedCalls() {
        return tracker.size();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The immutable snapshot returned by {@code evaluateFlags}. */
    static final class Snapshot implements FeatureFlagEvaluations {

        private final FeatureFlags owner;

        private final String distinctId;

        private final Map<String, Entry> entries;

        private final Map<String, String> groups;

        private final boolean sendEvents;

        private final Boolean disableGeoip;

        private final RemoteMeta meta;

        private final String error;

        Snapshot(FeatureFlags owner, String distinctId, Map<String, Entry> entries, Map<String, String> groups,
                boolean sendEvents, Boolean disableGeoip, RemoteMeta meta, String error) {
            this.owner = owner;
            this.distinctId = distinctId;
            this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            this.groups = Map.copyOf(groups);
            this.sendEvents = sendEvents;
            this.disableGeoip = disableGeoip;
            this.meta = meta;
            this.error = error;
        }

        @Override
        public String distinctId() {
            return distinctId;
        }

        @Override
        public boolean isEnabled(String key) {
            Entry e = accessed(key);
            return e != null && e.result().enabled();
        }

        @Override
        public Object getFlag(String key) {
            Entry e = accessed(key);
            return (e != null) ? e.result().value() : null;
        }

        private Entry accessed(String key) {
            if (key == null) {
                return null;
            }
            Entry e = entries.get(key);
            if (sendEvents) {
                String err = (e == null) ? ((error != null) ? error + ",flag_missing" : "flag_missing") : error;
                owner.flagCalled(distinctId, key, e, (e != null && e.local()) ? null : meta, err, groups, disableGeoip);
            }
            return e;
        }

        @Override
        public String getFlagPayload(String key) {
            Entry e = (key != null) ? entries.get(key) : null;
            return (e != null) ? e.result().payload() : null;
        }

        @Override
        public FeatureFlagResult getResult(String key) {
            Entry e = (key != null) ? entries.get(key) : null;
            return (e != null) ? e.result() : null;
        }

        @Override
        public Set<String> keys() {
            return entries.keySet();
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> values = new LinkedHashMap<>();
            entries.forEach((k, e) -> values.put(k, e.result().value()));
            return Collections.unmodifiableMap(values);
        }

        @Override
        public String toString() {
            return "FeatureFlagEvaluations[distinctId=" + distinctId + ", flags=" + values() + "]";
        }

    }

}
