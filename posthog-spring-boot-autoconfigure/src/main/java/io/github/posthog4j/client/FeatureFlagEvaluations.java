package io.github.posthog4j.client;

import java.util.Map;
import java.util.Set;

/**
 * A point-in-time snapshot of the feature flags of one person, returned by
 * {@link PosthogClient#evaluateFlags(String, FlagOptions)}. Reading it never evaluates again and never makes a
 * request. {@link #isEnabled} and {@link #getFlag} report the access with a {@code $feature_flag_called} event
 * (once per person, flag, value and groups, unless the evaluation turned events off); {@link #keys()},
 * {@link #values()} and {@link #getFlagPayload} are silent. Pass it to
 * {@link CaptureOptions.Builder#flags(FeatureFlagEvaluations)} to attach the flags to an event. Thread-safe.
 */
public interface FeatureFlagEvaluations {

    /** @return the distinct id the flags were evaluated for */
    String distinctId();

    /**
     * @param key the flag key
     * @return whether the flag is on; false when it is not in the snapshot
     */
    boolean isEnabled(String key);

    /**
     * @param key the flag key
     * @return the value ({@link Boolean} or variant {@link String}), or null when it is not in the snapshot
     */
    Object getFlag(String key);

    /**
     * Silent: no {@code $feature_flag_called} event.
     * @param key the flag key
     * @return the payload of the flag's value as JSON text, or null
     */
    String getFlagPayload(String key);

    /**
     * Silent.
     * @param key the flag key
     * @return the full result, or null when the flag is not in the snapshot
     */
    FeatureFlagResult getResult(String key);

    /** @return the keys of the evaluated flags (silent) */
    Set<String> keys();

    /** @return flag key to value, without reporting access (silent) */
    Map<String, Object> values();
}
