package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagsAndPayloads;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.internal.flags.FeatureFlags;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The feature-flag half of the client's façade: every flag call of the client interface,
 * answered by {@link FeatureFlags} for the call's person (its own distinct id, else the
 * current context's; none: the call's default and no request), and nothing while the
 * client is opted out. {@link DefaultPosthogClient} adds capture, lifecycle and status.
 */
abstract class FlagCallsClient implements ManagedPosthogClient {

    /**
     * @return the client's feature flags
     */
    abstract FeatureFlags flags();

    @Override
    public boolean isFeatureEnabled(String key, String distinctId, boolean defaultValue, FlagOptions options) {
        FeatureFlagResult result = flagResult(key, distinctId, options, true);
        return (result != null) ? result.enabled() : defaultValue;
    }

    @Override
    public @Nullable Object getFeatureFlag(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = flagResult(key, distinctId, options, true);
        return (result != null) ? result.value() : null;
    }

    @Override
    public @Nullable FeatureFlagResult getFeatureFlagResult(String key, String distinctId, FlagOptions options) {
        return flagResult(key, distinctId, options, true);
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key, String distinctId, FlagOptions options) {
        FeatureFlagResult result = flagResult(key, distinctId, options, false);
        return (result != null) ? result.payload() : null;
    }

    @Override
    public @Nullable String getFeatureFlagPayload(String key, String distinctId, @Nullable Object matchValue,
            FlagOptions options) {
        if (matchValue == null) {
            return getFeatureFlagPayload(key, distinctId, options);
        }
        String id = person(distinctId);
        return (isOptedOut() || key == null || id == null) ? null : flags().payload(key, id, matchValue, options);
    }

    private @Nullable FeatureFlagResult flagResult(String key, @Nullable String distinctId, FlagOptions options,
            boolean track) {
        String id = person(distinctId);
        return (isOptedOut() || id == null) ? null : flags().result(key, id, options, track);
    }

    /** The distinct id of a flag call: its own, else the current context's, else none. */
    private static @Nullable String person(@Nullable String distinctId) {
        return Texts.isBlank(distinctId) ? PosthogContext.currentDistinctId() : distinctId;
    }

    @Override
    public Map<String, Object> getAllFlags(String distinctId, FlagOptions options) {
        return getAllFlagsAndPayloads(distinctId, options).featureFlags();
    }

    @Override
    public FlagsAndPayloads getAllFlagsAndPayloads(@Nullable String distinctId, FlagOptions options) {
        String id = person(distinctId);
        return (isOptedOut() || id == null) ? new FlagsAndPayloads(Map.of(), Map.of())
                : flags().flagsAndPayloads(id, options);
    }

    @Override
    public FeatureFlagEvaluations evaluateFlags(@Nullable String distinctId, FlagOptions options) {
        String id = person(distinctId);
        return (isOptedOut() || id == null) ? FeatureFlagEvaluations.empty((id != null) ? id : "")
                : flags().evaluateFlags(id, options);
    }

    @Override
    public void setPersonPropertiesForFlags(String distinctId, Map<String, ?> properties) {
        flags().setPersonProperties(distinctId, properties);
    }

    @Override
    public void resetPersonPropertiesForFlags(String distinctId) {
        if (distinctId != null) {
            flags().resetPersonProperties(distinctId);
        }
    }

    @Override
    public void resetPersonPropertiesForFlags() {
        flags().resetPersonProperties(null);
    }

    @Override
    public void setGroupPropertiesForFlags(String groupType, String groupKey, Map<String, ?> properties) {
        flags().setGroupProperties(groupType, groupKey, properties);
    }

    @Override
    public void resetGroupPropertiesForFlags(String groupType) {
        if (groupType != null) {
            flags().resetGroupProperties(groupType);
        }
    }

    @Override
    public void resetGroupPropertiesForFlags() {
        flags().resetGroupProperties(null);
    }

}
