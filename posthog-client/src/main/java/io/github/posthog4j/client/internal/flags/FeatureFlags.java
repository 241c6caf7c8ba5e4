package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.Log;
import io.github.posthog4j.client.internal.RequestObserver;
import io.github.posthog4j.client.internal.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The feature-flag side of a client, and the one type its core talks to. Evaluates local
 * first (from the definitions of the {@link DefinitionsLoader}), asks PostHog
 * ({@link RemoteFlags}) when the local answer is inconclusive, and counts where answers
 * came from. The other jobs belong to its parts: stored properties for flags
 * ({@link StoredFlagProperties}), {@code $feature_flag_called} events
 * ({@link FlagCalledReporter}), the snapshot ({@link FlagSnapshot}), the flags of a
 * capture ({@link CaptureFlags}). Owned by the client (its state survives engine
 * restarts, like the queue); the definitions poller thread ({@link FlagPoller}) belongs
 * to the delivery engine. Thread-safe; never throws to callers. Internal API.
 */
public final class FeatureFlags {

    /** Captures the events of feature flags. */
    @FunctionalInterface
    public interface EventCapture {

        /**
         * Captures an event.
         * @param event the event
         * @param allowlist the only properties it may keep (super properties included),
         * or null for all
         * @return the event's uuid, or null when it was dropped
         */
        @Nullable String capture(CaptureOptions event, @Nullable Set<String> allowlist);

    }

    private static final Log log = Log.CLIENT;

    private final Supplier<ClientSettings> settings;

    private final StoredFlagProperties stored = new StoredFlagProperties();

    private final FlagCalledReporter reporter;

    private final RemoteFlags remote;

    private final RemoteSource remoteSource;

    private final DefinitionsLoader definitions;

    private final CaptureFlags captureFlags;

    private final LongAdder localCount = new LongAdder();

    private final LongAdder failedCount = new LongAdder();

    /**
     * @param settings the client's current settings
     * @param requests where requests are reported
     * @param capture captures an event ({@code $feature_flag_called})
     */
    public FeatureFlags(Supplier<ClientSettings> settings, RequestObserver requests, EventCapture capture) {
        this.settings = settings;
        FlagRequests flagRequests = new FlagRequests(settings, requests);
        this.reporter = new FlagCalledReporter(capture);
        this.remote = new RemoteFlags(settings, flagRequests);
        this.remoteSource = new RemoteSource(settings, this.remote);
        this.definitions = new DefinitionsLoader(settings, flagRequests, this.reporter::clear);
        this.captureFlags = new CaptureFlags(this::allValues, this::definitionsLoaded);
    }

    // ------------------------------------------------------------------------------------------
    // one flag

    /** The outcome of evaluating one flag: flag null when unknown. */
    private record One(@Nullable EvaluatedFlag flag, @Nullable RemoteMeta meta, @Nullable String error) {
    }

    /**
     * Evaluates one flag.
     * @param key the flag key
     * @param distinctId the person
     * @param options the call's options, or null
     * @param track whether the read may capture {@code $feature_flag_called}
     * @return the result, or null when the flag is unknown or could not be evaluated
     */
    public @Nullable FeatureFlagResult result(String key, String distinctId, @Nullable FlagOptions options,
            boolean track) {
        if (Texts.isBlank(key) || Texts.isBlank(distinctId)) {
            log.debug("Feature flag evaluation needs a flag key and a distinct id; returning the default");
            return null;
        }
        try {
            FlagInputs in = inputs(distinctId, options);
            One one = evaluateOne(key, in);
            if (track && in.sendEvents()) {
                this.reporter.report(new FlagCall(in.distinctId(), key, one.flag(), one.meta(), one.error(),
                        in.groups(), in.disableGeoipOption()));
            }
            return (one.flag() != null) ? one.flag().result() : null;
        }
        catch (RuntimeException ex) {
            this.failedCount.increment();
            log.warn("PostHog feature flag '" + Texts.abbreviate(key)
                    + "' could not be evaluated; returning the default: " + ex);
            return null;
        }
    }

    /**
     * Local first; an inconclusive local answer (a group flag without its group included)
     * goes to PostHog, through the value cache ({@link RemoteSource}).
     */
    private One evaluateOne(String key, FlagInputs in) {
        LocalFlagEvaluator ev = this.definitions.evaluator();
        if (ev != null) {
            FlagEvaluationResult r = ev.evaluate(key, in.context());
            if (!r.isInconclusive()) {
                this.localCount.increment();
                return new One(EvaluatedFlag.local(r, ev.definitions()), null, null);
            }
        }
        if (in.onlyLocal()) {
            return new One(null, null, null);
        }
        RemoteSource.One answer = this.remoteSource.one(in, key);
        return new One(answer.flag(), answer.meta(), answer.error());
    }

    /**
     * The payload of a flag for a known value, as posthog-python's
     * {@code get_feature_flag_payload(match_value=...)}: from the local definition of the
     * flag when there is one (no evaluation, no request); otherwise the flag is evaluated
     * and its payload returned only when it has that value. Silent.
     * @param key the flag key
     * @param distinctId the person
     * @param matchValue the value ({@link Boolean} or variant {@link String})
     * @param options the call's options, or null
     * @return the payload JSON, or null
     */
    public @Nullable String payload(String key, String distinctId, Object matchValue, @Nullable FlagOptions options) {
        if (!(matchValue instanceof Boolean) && !(matchValue instanceof String)) {
            log.debug("A flag match value is a Boolean or a variant String; returning no payload");
            return null;
        }
        LocalFlagEvaluator ev = this.definitions.evaluator();
        if (ev != null && ev.definitions().flag(key) != null) {
            com.fasterxml.jackson.databind.JsonNode payload = ev.payloadFor(key, matchValue);
            return (payload != null) ? payload.toString() : null;
        }
        FeatureFlagResult r = result(key, distinctId, options, false);
        return (r != null && r.value().equals(matchValue)) ? r.payload() : null;
    }

    // ------------------------------------------------------------------------------------------
    // all flags

    /**
     * Every flag of one evaluation, with the remote request's metadata if one was made.
     */
    private record All(Map<String, EvaluatedFlag> flags, @Nullable RemoteMeta meta, @Nullable String error) {

        static final All NONE = new All(Map.of(), null, null);

    }

    private All all(String distinctId, @Nullable FlagOptions options) {
        if (Texts.isBlank(distinctId)) {
            return All.NONE;
        }
        try {
            return evaluateAll(inputs(distinctId, options));
        }
        catch (RuntimeException ex) {
            return failed(ex);
        }
    }

    private All failed(RuntimeException ex) {
        this.failedCount.increment();
        log.warn("PostHog feature flags could not be evaluated; returning none: " + ex);
        return All.NONE;
    }

    /**
     * Local first; when any flag asked for is inconclusive (or has no local definition),
     * one remote evaluation with the original key scope fills the rest, never replacing a
     * local value. Only the flags asked for are returned.
     */
    private All evaluateAll(FlagInputs in) {
        Map<String, EvaluatedFlag> flags = new LinkedHashMap<>();
        LocalFlagEvaluator ev = this.definitions.evaluator();
        boolean needRemote = true;
        if (ev != null) {
            AllFlagsResult r = ev.evaluateAll(in.context(), in.keys().isEmpty() ? null : in.keys());
            r.results().forEach((k, v) -> flags.put(k, EvaluatedFlag.local(v, ev.definitions())));
            needRemote = !r.inconclusive().isEmpty();
        }
        if (!needRemote) {
            this.localCount.increment();
            return new All(flags, null, null);
        }
        if (in.onlyLocal()) {
            return new All(flags, null, null);
        }
        RemoteSource.All answer = this.remoteSource.all(in, in.keys());
        answer.flags().forEach(flags::putIfAbsent);
        return new All(flags, answer.meta(), answer.error());
    }

    private Map<String, Object> allValues(String distinctId, FlagOptions options) {
        Map<String, Object> values = new LinkedHashMap<>();
        all(distinctId, options).flags().forEach((k, f) -> values.put(k, f.result().value()));
        return values;
    }

    /**
     * Evaluates every flag of a person; captures no event.
     * @param distinctId the person
     * @param options the call's options, or null
     * @return values and payloads (empty when none could be evaluated)
     */
    public FlagsAndPayloads flagsAndPayloads(String distinctId, @Nullable FlagOptions options) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> payloads = new LinkedHashMap<>();
        all(distinctId, options).flags().forEach((k, f) -> {
            values.put(k, f.result().value());
            if (f.result().payload() != null) {
                payloads.put(k, f.result().payload());
            }
        });
        return new FlagsAndPayloads(values, payloads);
    }

    /**
     * Evaluates every flag of a person once, into a snapshot whose reads capture
     * {@code $feature_flag_called}.
     * @param distinctId the person
     * @param options the call's options, or null
     * @return the snapshot (empty when none could be evaluated)
     */
    public FeatureFlagEvaluations evaluateFlags(@Nullable String distinctId, @Nullable FlagOptions options) {
        if (distinctId == null || Texts.isBlank(distinctId)) {
            return FlagSnapshot.empty((distinctId != null) ? distinctId : "");
        }
        FlagInputs in;
        try {
            in = inputs(distinctId, options);
        }
        catch (RuntimeException ex) {
            log.warn("PostHog feature flags could not be evaluated; returning an empty snapshot: " + ex);
            return FlagSnapshot.empty(distinctId);
        }
        All all;
        try {
            all = evaluateAll(in);
        }
        catch (RuntimeException ex) {
            all = failed(ex);
        }
        return new FlagSnapshot(distinctId, all.flags(), in.groups(), in.sendEvents(), in.disableGeoipOption(),
                all.meta(), all.error(), this.reporter::report);
    }

    private FlagInputs inputs(String distinctId, @Nullable FlagOptions options) {
        Map<String, String> groups = (options != null) ? options.groups() : Map.of();
        return FlagInputs.resolve(distinctId, options, this.settings.get(), this.stored.person(distinctId),
                this.stored.groups(groups));
    }

    // ------------------------------------------------------------------------------------------
    // captures

    /**
     * The flag values a capture asked for ({@code sendFeatureFlags}, or a snapshot passed
     * with {@code flags(...)}). Callable from any thread. When the capture has no
     * snapshot and no local definitions are loaded this asks PostHog ({@code /flags}, up
     * to the flags request timeout twice): call it off the caller's thread.
     * @param options the capture
     * @return flag key to value, empty when none were asked for or could be evaluated
     */
    public Map<String, Object> flagValuesForCapture(CaptureOptions options) {
        return this.captureFlags.values(options);
    }

    /**
     * Adds {@code $feature/<key>} and {@code $active_feature_flags} to the properties of
     * a capture that asked for flags ({@link #flagValuesForCapture} then
     * {@link #addFlagValues}); properties the caller set win. Callable from any thread,
     * with the same caveat as {@link #flagValuesForCapture}.
     * @param options the capture
     * @param props its properties, or null
     * @return the properties (a new map when {@code props} was null and flags were added)
     */
    public @Nullable Map<String, Object> enrichCapture(CaptureOptions options, @Nullable Map<String, Object> props) {
        return this.captureFlags.enrich(options, props, true);
    }

    /**
     * Like {@link #enrichCapture(CaptureOptions, Map)}; without {@code allowRemote} no
     * request is made, whatever happens to the local definitions meanwhile (the capturing
     * thread's variant).
     * @param options the capture
     * @param props its properties, or null
     * @param allowRemote whether {@code /flags} may be asked
     * @return the properties (a new map when {@code props} was null and flags were added)
     */
    public @Nullable Map<String, Object> enrichCapture(CaptureOptions options, @Nullable Map<String, Object> props,
            boolean allowRemote) {
        return this.captureFlags.enrich(options, props, allowRemote);
    }

    /**
     * Adds flag values to event properties as {@code $feature/<key>} and
     * {@code $active_feature_flags}, keeping what the properties already have. No
     * evaluation, no I/O.
     * @param props the event properties (changed in place), or null
     * @param values flag key to value, from {@link #flagValuesForCapture}
     * @return the properties (a new map when {@code props} was null and flags were added)
     */
    public static @Nullable Map<String, Object> addFlagValues(@Nullable Map<String, Object> props,
            Map<String, Object> values) {
        return CaptureFlags.addTo(props, values);
    }

    // ------------------------------------------------------------------------------------------
    // stored properties

    /**
     * @param distinctId the person
     * @param props properties merged into the stored ones
     */
    public void setPersonProperties(@Nullable String distinctId, @Nullable Map<String, ?> props) {
        this.stored.setPerson(distinctId, props);
    }

    /**
     * @param distinctId the person, or null for everybody
     */
    public void resetPersonProperties(@Nullable String distinctId) {
        this.stored.resetPerson(distinctId);
    }

    /**
     * @param groupType the group type
     * @param groupKey the group key
     * @param props properties merged into the stored ones
     */
    public void setGroupProperties(@Nullable String groupType, @Nullable String groupKey,
            @Nullable Map<String, ?> props) {
        this.stored.setGroup(groupType, groupKey, props);
    }

    /**
     * @param groupType the group type, or null for every group
     */
    public void resetGroupProperties(@Nullable String groupType) {
        this.stored.resetGroup(groupType);
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle and status

    /**
     * The loader the {@link FlagPoller} drives.
     * @return the definitions loader
     */
    DefinitionsLoader definitions() {
        return this.definitions;
    }

    /**
     * Releases the remote HTTP client; the next remote evaluation creates a new one.
     */
    public void closeRemote() {
        this.remote.closeHttp();
    }

    /**
     * Forgets definitions that came from another project, host or key, and the old remote
     * HTTP client.
     * @param old the settings in use
     * @param next the settings about to be used
     */
    public void settingsChanging(ClientSettings old, ClientSettings next) {
        closeRemote();
        if (!old.host().equals(next.host()) || !old.apiKey().equals(next.apiKey())
                || !old.flags().equals(next.flags())) {
            this.remoteSource.clearCache();
        }
        this.definitions.settingsChanging(old, next);
    }

    /**
     * @return whether local definitions are loaded
     */
    public boolean definitionsLoaded() {
        return this.definitions.evaluator() != null;
    }

    /**
     * @param pollerRunning whether the engine's definitions poller is alive
     * @return the flags status
     */
    public PosthogFlagsStatus status(boolean pollerRunning) {
        LocalFlagEvaluator ev = this.definitions.evaluator();
        long at = this.definitions.loadedAtMillis();
        Instant loadedAt = (at == 0) ? null : Instant.ofEpochMilli(at);
        Duration age = (at == 0) ? null : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - at));
        return new PosthogFlagsStatus(this.settings.get().flags().localEvaluation(), pollerRunning, ev != null,
                (ev != null) ? ev.definitions().flags().size() : 0, loadedAt, age, this.definitions.lastError(),
                this.localCount.sum(), this.remoteSource.remoteCount(), this.remoteSource.fallbackCount(),
                this.failedCount.sum() + this.remote.failures(), this.remote.lastError(),
                this.remoteSource.cacheCount(), this.definitions.etag());
    }

    /**
     * @return how many {@code $feature_flag_called} combinations are remembered
     */
    public int trackedCalls() {
        return this.reporter.trackedCalls();
    }

    /**
     * Called by close: nothing of this client's flag state outlives it; the definitions
     * cache provider is shut down.
     */
    public void close() {
        this.remote.close();
        this.reporter.clear();
        this.remoteSource.clearCache();
        this.definitions.close();
    }

}
