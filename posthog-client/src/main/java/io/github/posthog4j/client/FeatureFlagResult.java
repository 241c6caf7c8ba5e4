package io.github.posthog4j.client;

import org.jspecify.annotations.Nullable;

/**
 * The evaluated state of one feature flag.
 *
 * @param key the flag key
 * @param enabled whether the flag is on (true, or any variant)
 * @param variant the matched variant of a multivariate flag, or null
 * @param payload the payload configured for the matched value, as JSON text, or null
 * @param reason why the flag has this value (PostHog's description, or the local
 * evaluator's reason), or null
 * @param locallyEvaluated whether the value was computed in process from polled
 * definitions
 */
public record FeatureFlagResult(String key, boolean enabled, @Nullable String variant, @Nullable String payload,
        @Nullable String reason, boolean locallyEvaluated) {

    /**
     * @return the flag value as {@code getFeatureFlag} returns it: the variant, or
     * {@code Boolean} enabled
     */
    public Object value() {
        return (variant != null) ? variant : Boolean.valueOf(enabled);
    }
}
