package io.github.posthog4j.test;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagSource;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientListener;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogFlagsStatus;
import io.github.posthog4j.client.PosthogLogger;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.SpanCallback;
import io.github.posthog4j.client.SpanOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client the application gets under {@link AutoConfigurePosthog}: every call goes to
 * the real auto-configured client (whose events the {@link PosthogRecorder} receives),
 * except the feature flag calls, which the recorder answers from its {@link FixedFlags}
 * and records. A capture that asks the client to evaluate flags
 * ({@code CaptureOptions.sendFeatureFlags}) gets the fixed values attached instead.
 *
 * <p>
 * Every method of {@code ManagedPosthogClient} is implemented here, defaults included, so
 * a default method added to the interface cannot bypass the delegate (a test checks it).
 */
final class RecordingPosthogClient implements ManagedPosthogClient {

    private final ManagedPosthogClient delegate;

    private final PosthogRecorder recorder;

    RecordingPosthogClient(ManagedPosthogClient delegate, PosthogRecorder recorder) {
        this.delegate = delegate;
        this.recorder = recorder;
    }

    ManagedPosthogClient delegate() {
        return delegate;
    }

    // ------------------------------------------------------------------------------------------
    // events: the real pipeline

    @Override
    public @Nullable String capture(@Nullable String distinctId, String event) {
        return delegate.capture(distinctId, event);
    }

    @Override
    public @Nullable String capture(@Nullable String distinctId, String event, @Nullable Map<String, ?> properties) {
        return delegate.capture(distinctId, event, properties);
    }

    @Override
    public @Nullable String capture(CaptureOptions options) {
        if (options != null && options.sendFeatureFlags() && options.flags() == null) {
            return delegate.capture(withFixedFlags(options));
        }
        return delegate.capture(options);
    }

    @Override
    public @Nullable String captureException(@Nullable Throwable exception) {
        return delegate.captureException(exception);
    }

    @Override
    public @Nullable String captureException(@Nullable Throwable exception, @Nullable String distinctId) {
        return delegate.captureException(exception, distinctId);
    }

    @Override
    public @Nullable String captureException(@Nullable Throwable exception, @Nullable Map<String, ?> properties) {
        return delegate.captureException(exception, properties);
    }

    @Override
    public @Nullable String captureException(@Nullable Throwable exception, @Nullable String distinctId,
            @Nullable Map<String, ?> properties) {
        return delegate.captureException(exception, distinctId, properties);
    }

    @Override
    public @Nullable String captureException(ExceptionOptions options) {
        return delegate.captureException(options);
    }

    @Override
    public @Nullable String captureAi(@Nullable String distinctId, String event, @Nullable Map<String, ?> properties) {
        return delegate.captureAi(distinctId, event, properties);
    }

    @Override
    public @Nullable String captureAi(@Nullable String distinctId, String event) {
        return delegate.captureAi(distinctId, event);
    }

    @Override
    public @Nullable String captureAi(CaptureOptions options) {
        if (options != null && options.sendFeatureFlags() && options.flags() == null) {
            return delegate.captureAi(withFixedFlags(options));
        }
        return delegate.captureAi(options);
    }

    @Override
    public void identify(String distinctId, @Nullable Map<String, ?> set, @Nullable Map<String, ?> setOnce) {
        delegate.identify(distinctId, set, setOnce);
    }

    @Override
    public void set(String distinctId, Map<String, ?> properties) {
        delegate.set(distinctId, properties);
    }

    @Override
    public void setOnce(String distinctId, Map<String, ?> properties) {
        delegate.setOnce(distinctId, properties);
    }

    @Override
    public void alias(String distinctId, String alias) {
        delegate.alias(distinctId, alias);
    }

    @Override
    public void groupIdentify(String groupType, String groupKey, @Nullable Map<String, ?> properties) {
        delegate.groupIdentify(groupType, groupKey, properties);
    }

    @Override
    public void register(String key, @Nullable Object value) {
        delegate.register(key, value);
    }

    @Override
    public void unregister(String key) {
        delegate.unregister(key);
    }

    @Override
    public void optOut() {
        delegate.optOut();
    }

    @Override
    public void optIn() {
        delegate.optIn();
    }

    @Override
    public boolean isOptedOut() {
        return delegate.isOptedOut();
    }

    @Override
    public void debug(boolean enabled) {
        delegate.debug(enabled);
    }

    @Override
    public void debug() {
        delegate.debug();
    }

    @Override
    public boolean isDebug() {
        return delegate.isDebug();
    }

    @Override
    public int flush() {
        return delegate.flush();
    }

    @Override
    public int flush(Duration timeout) {
        return delegate.flush(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle and status: the real client

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void stop() {
        delegate.stop();
    }

    @Override
    public boolean isRunning() {
        return delegate.isRunning();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public boolean reconfigure(PosthogClientBuilder settings) {
        return delegate.reconfigure(settings);
    }

    @Override
    public PosthogClientStatus status() {
        return delegate.status();
    }

    @Override
    public Map<String, PosthogClientStatus> pipelineStatus() {
        return delegate.pipelineStatus();
    }

    @Override
    public PosthogFlagsStatus flagsStatus() {
        return delegate.flagsStatus();
    }

    @Override
    public void addListener(PosthogClientListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(PosthogClientListener listener) {
        delegate.removeListener(listener);
    }

    // ------------------------------------------------------------------------------------------
    // logs and traces: delegated to the real client (not recorded)

    @Override
    public void captureLog(LogOptions options) {
        delegate.captureLog(options);
    }

    @Override
    public void captureLog(@Nullable String body) {
        delegate.captureLog(body);
    }

    @Override
    public void captureLog(@Nullable LogSeverity severity, @Nullable String body, @Nullable Map<String, ?> attributes) {
        delegate.captureLog(severity, body, attributes);
    }

    @Override
    public PosthogLogger logger() {
        return delegate.logger();
    }

    @Override
    public PosthogSpan startSpan(String name) {
        return delegate.startSpan(name);
    }

    @Override
    public PosthogSpan startSpan(String name, SpanOptions options) {
        return delegate.startSpan(name, options);
    }

    @Override
    public <T, E extends Throwable> T withSpan(String name, SpanCallback<T, E> work) throws E {
        return delegate.withSpan(name, work);
    }

    @Override
    public <T, E extends Throwable> T withSpan(String name, SpanOptions options, SpanCallback<T, E> work) throws E {
        return delegate.withSpan(name, options, work);
    }

    @Override
    public <T> CompletionStage<T> withSpanAsync(String name, SpanOptions options,
            Function<PosthogSpan, ? extends CompletionStage<T>> work) {
        return delegate.withSpanAsync(name, options, work);
    }

    @Override
    public @Nullable PosthogSpan getActiveSpan() {
        return delegate.getActiveSpan();
    }

    // ------------------------------------------------------------------------------------------
    // feature flags: answered by the recorder (the distinct-id-less variants for the
    // person of the current PosthogContext, as the real client does)

    @Override
    public boolean isFeatureEnabled(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return distinctId != null && isFeatureEnabled(key, distinctId);
    }

    @Override
    public @Nullable Object getFeatureFlag(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getFeatureFlag(key, distinctId) : null;
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key) {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getFeatureFlagPayload(key, distinctId) : null;
    }

    @Override
    public Map<String, Object> getAllFlags() {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? getAllFlags(distinctId) : Map.of();
    }

    @Override
    public FeatureFlagEvaluations evaluateFlags() {
        String distinctId = PosthogContext.currentDistinctId();
        return (distinctId != null) ? evaluateFlags(distinctId) : FeatureFlagEvaluations.empty("");
    }

    @Override
    public boolean isFeatureEnabled(String key, String distinctId) {
        return isFeatureEnabled(key, distinctId, false, FlagOptions.none());
    }

    @Override
    public boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue) {
        return isFeatureEnabled(key, distinctId, defaultValue, FlagOptions.none());
    }

    @Override
    public boolean isFeatureEnabled(String key, String distinctId, FlagOptions options) {
        return isFeatureEnabled(key, distinctId, false, options);
    }

    @Override
    public boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue, FlagOptions options) {
        FixedFlags.Flag flag = flag(key, distinctId);
        boolean enabled = (flag != null) ? flag.enabled() : defaultValue;
        called("isFeatureEnabled", key, distinctId, enabled, options);
        return enabled;
    }

    @Override
    public @Nullable Object getFeatureFlag(String key, String distinctId) {
        return getFeatureFlag(key, distinctId, FlagOptions.none());
    }

    @Override
    public @Nullable Object getFeatureFlag(String key, String distinctId, FlagOptions options) {
        FixedFlags.Flag flag = flag(key, distinctId);
        Object value = (flag != null) ? flag.value() : null;
        called("getFeatureFlag", key, distinctId, value, options);
        return value;
    }

    @Override
    public @Nullable FeatureFlagResult getFeatureFlagResult(String key, String distinctId) {
        return getFeatureFlagResult(key, distinctId, FlagOptions.none());
    }

    @Override
    public @Nullable FeatureFlagResult getFeatureFlagResult(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = result(key, flag(key, distinctId));
        called("getFeatureFlagResult", key, distinctId, (result != null) ? result.value() : null, options);
        return result;
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key, String distinctId) {
        return getFeatureFlagPayload(key, distinctId, FlagOptions.none());
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key, String distinctId, FlagOptions options) {
        FixedFlags.Flag flag = flag(key, distinctId);
        String payload = (flag != null) ? flag.payload() : null;
        called("getFeatureFlagPayload", key, distinctId, payload, options);
        return payload;
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key, String distinctId, @Nullable Object matchValue,
            FlagOptions options) {
        if (matchValue == null) {
            return getFeatureFlagPayload(key, distinctId, options);
        }
        // A fixed flag knows the payload of its own value only.
        FixedFlags.Flag flag = flag(key, distinctId);
        String payload = (flag != null && matchValue.equals(flag.value())) ? flag.payload() : null;
        called("getFeatureFlagPayload", key, distinctId, payload, options);
        return payload;
    }

    @Override
    public Map<String, Object> getAllFlags(String distinctId) {
        return getAllFlags(distinctId, FlagOptions.none());
    }

    @Override
    public Map<String, Object> getAllFlags(String distinctId, FlagOptions options) {
        Map<String, Object> values = values(selected(distinctId, options));
        called("getAllFlags", null, distinctId, values, options);
        return values;
    }

    @Override
    public FlagsAndPayloads getAllFlagsAndPayloads(String distinctId) {
        return getAllFlagsAndPayloads(distinctId, FlagOptions.none());
    }

    @Override
    public FlagsAndPayloads getAllFlagsAndPayloads(String distinctId, FlagOptions options) {
        Map<String, FixedFlags.Flag> flags = selected(distinctId, options);
        Map<String, String> payloads = new LinkedHashMap<>();
        flags.forEach((k, f) -> {
            if (f.payload() != null) {
                payloads.put(k, f.payload());
            }
        });
        FlagsAndPayloads result = new FlagsAndPayloads(values(flags), payloads);
        called("getAllFlagsAndPayloads", null, distinctId, result.featureFlags(), options);
        return result;
    }

    @Override
    public FeatureFlagEvaluations evaluateFlags(String distinctId) {
        return evaluateFlags(distinctId, FlagOptions.none());
    }

    @Override
    public FeatureFlagEvaluations evaluateFlags(String distinctId, FlagOptions options) {
        Map<String, FixedFlags.Flag> flags = selected(distinctId, options);
        called("evaluateFlags", null, distinctId, values(flags), options);
        return new Snapshot(distinctId, flags, options);
    }

    @Override
    public void setPersonPropertiesForFlags(String distinctId, Map<String, ?> properties) {
        delegate.setPersonPropertiesForFlags(distinctId, properties);
    }

    @Override
    public void resetPersonPropertiesForFlags(String distinctId) {
        delegate.resetPersonPropertiesForFlags(distinctId);
    }

    @Override
    public void resetPersonPropertiesForFlags() {
        delegate.resetPersonPropertiesForFlags();
    }

    @Override
    public void setGroupPropertiesForFlags(String groupType, String groupKey, Map<String, ?> properties) {
        delegate.setGroupPropertiesForFlags(groupType, groupKey, properties);
    }

    @Override
    public void resetGroupPropertiesForFlags(String groupType) {
        delegate.resetGroupPropertiesForFlags(groupType);
    }

    @Override
    public void resetGroupPropertiesForFlags() {
        delegate.resetGroupPropertiesForFlags();
    }

    @Override
    public String toString() {
        return "PosthogClient[recording to " + recorder + "]";
    }

    // ------------------------------------------------------------------------------------------

    private void called(String method, @Nullable String key, @Nullable String distinctId, @Nullable Object value,
            @Nullable FlagOptions options) {
        recorder.record(new FlagCall(method, key, distinctId, value, (options != null) ? options : FlagOptions.none()));
    }

    /**
     * The fixed flag for a person; none while the client is opted out (the real client
     * then answers every flag call with its default).
     */
    private FixedFlags.@Nullable Flag flag(String key, @Nullable String distinctId) {
        return delegate.isOptedOut() ? null : recorder.flags().get(key, distinctId);
    }

    private Map<String, FixedFlags.Flag> selected(@Nullable String distinctId, @Nullable FlagOptions options) {
        if (delegate.isOptedOut()) {
            return new LinkedHashMap<>();
        }
        Map<String, FixedFlags.Flag> all = recorder.flags().all(distinctId);
        Set<String> only = (options != null) ? options.flagKeys() : null;
        if (only != null && !only.isEmpty()) {
            all.keySet().retainAll(only);
        }
        return all;
    }

    private static Map<String, Object> values(Map<String, FixedFlags.Flag> flags) {
        Map<String, Object> values = new LinkedHashMap<>();
        flags.forEach((k, f) -> values.put(k, f.value()));
        return Map.copyOf(values);
    }

    private static @Nullable FeatureFlagResult result(String key, FixedFlags.@Nullable Flag flag) {
        return (flag != null) ? new FeatureFlagResult(key, flag.enabled(), flag.variant(), flag.payload(),
                "fixed by PosthogRecorder.flags()", true, FlagSource.LOCAL) : null;
    }

    private CaptureOptions withFixedFlags(CaptureOptions options) {
        CaptureOptions.Builder copy = CaptureOptions.builder(options.distinctId(), options.event())
            .properties(options.properties())
            .timestamp(options.timestamp())
            .uuid(options.uuid())
            .groups(options.groups())
            .set(options.set())
            .setOnce(options.setOnce())
            .cookielessMode(options.cookielessMode())
            .disableSkewCorrection(options.disableSkewCorrection())
            .processPersonProfile(options.processPersonProfile())
            .productTourId(options.productTourId());
        if (options.disableGeoip() != null) {
            copy.disableGeoip(options.disableGeoip());
        }
        FlagOptions flagOptions = (options.featureFlagOptions() != null) ? options.featureFlagOptions()
                : FlagOptions.none();
        Map<String, FixedFlags.Flag> flags = selected(options.distinctId(), flagOptions);
        called("capture.sendFeatureFlags", null, options.distinctId(), values(flags), flagOptions);
        return copy.flags(new Snapshot(options.distinctId(), flags, flagOptions)).build();
    }

    /** The snapshot {@code evaluateFlags} returns: reads of values are recorded. */
    private final class Snapshot implements FeatureFlagEvaluations {

        private final String distinctId;

        private final Map<String, FixedFlags.Flag> flags;

        private final FlagOptions options;

        Snapshot(String distinctId, Map<String, FixedFlags.Flag> flags, FlagOptions options) {
            this.distinctId = distinctId;
            this.flags = Map.copyOf(flags);
            this.options = options;
        }

        @Override
        public String distinctId() {
            return distinctId;
        }

        @Override
        public boolean isEnabled(String key) {
            FixedFlags.Flag flag = flags.get(key);
            boolean enabled = flag != null && flag.enabled();
            called("evaluateFlags.isEnabled", key, distinctId, enabled, options);
            return enabled;
        }

        @Override
        public @Nullable Object getFlag(String key) {
            FixedFlags.Flag flag = flags.get(key);
            Object value = (flag != null) ? flag.value() : null;
            called("evaluateFlags.getFlag", key, distinctId, value, options);
            return value;
        }

        @Override
        public @Nullable String getFlagPayload(String key) {
            FixedFlags.Flag flag = flags.get(key);
            String payload = (flag != null) ? flag.payload() : null;
            called("evaluateFlags.getFlagPayload", key, distinctId, payload, options);
            return payload;
        }

        @Override
        public @Nullable FeatureFlagResult getResult(String key) {
            FeatureFlagResult result = result(key, flags.get(key));
            called("evaluateFlags.getResult", key, distinctId, (result != null) ? result.value() : null, options);
            return result;
        }

        @Override
        public Set<String> keys() {
            return flags.keySet();
        }

        @Override
        public Map<String, Object> values() {
            return RecordingPosthogClient.values(flags);
        }

        @Override
        public String toString() {
            return "FeatureFlagEvaluations[fixed " + flags + "]";
        }

    }

}
