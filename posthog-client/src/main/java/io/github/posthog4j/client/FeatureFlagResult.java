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
 * @param source where the value came from
 */
public record FeatureFlagResult(String key, boolean enabled, @Nullable String variant, @Nullable String payload,
        @Nullable String reason, boolean locallyEvaluated, FlagSource source) {

    /**
     * A result whose source follows from {@code locallyEvaluated}
     * ({@link FlagSource#LOCAL} or {@link FlagSource#REMOTE}).
     * @param key the flag key
     * @param enabled whether the flag is on
     * @param variant the variant, or null
     * @param payload the payload JSON, or null
     * @param reason the reason, or null
     * @param locallyEvaluated whether the value was computed in process
     */
    public FeatureFlagResult(String key, boolean enabled, @Nullable String variant, @Nullable String payload,
            @Nullable String reason, boolean locallyEvaluated) {
        this(key, enabled, variant, payload, reason, locallyEvaluated,
                locallyEvaluated ? FlagSource.LOCAL : FlagSource.REMOTE);
    }

    /**
     * @return the flag value as {@code getFeatureFlag} returns it: the variant, or
     * {@code Boolean} enabled
     */
    public Object value() {
        return (variant != null) ? variant : Boolean.valueOf(enabled);
    }

    /**
     * @param newSource the source to report
     * @return this result with another source
     */
    public FeatureFlagResult withSource(FlagSource newSource) {
        return new FeatureFlagResult(key, enabled, variant, payload, reason, locallyEvaluated, newSource);
    }
}
