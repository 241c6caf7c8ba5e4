package io.github.posthog4j.client;

import java.util.Map;
import java.util.Set;

/**
 * A point-in-time snapshot of the feature flags of one person, returned by
 * {@link PosthogClient#evaluateFlags(String, FlagOptions)}. Reading it never evaluates
 * again and never makes a request. {@link #isEnabled} and {@link #getFlag} report the
 * access with a {@code $feature_flag_called} event (once per person, flag, value and
 * groups, unless the evaluation turned events off); {@link #keys()}, {@link #values()}
 * and {@link #getFlagPayload} are silent. Pass it to
 * {@link CaptureOptions.Builder#flags(FeatureFlagEvaluations)} to attach the flags to an
 * event. Thread-safe.
 */
public interface FeatureFlagEvaluations {

    /**
     * A snapshot with no flags: every flag reads as unknown ({@code isEnabled} false,
     * values null), nothing is reported. What clients that evaluate no flags (a disabled
     * client) return.
     * @param distinctId the person's distinct id
     * @return an empty snapshot
     */
    static FeatureFlagEvaluations empty(String distinctId) {
        return new FeatureFlagEvaluations() {
            @Override
            public String distinctId() {
                return distinctId;
            }

            @Override
            public boolean isEnabled(String key) {
                return false;
            }

            @Override
            public Object getFlag(String key) {
                return null;
            }

            @Override
            public String getFlagPayload(String key) {
                return null;
            }

            @Override
            public FeatureFlagResult getResult(String key) {
                return null;
            }

            @Override
            public Set<String> keys() {
                return Set.of();
            }

            @Override
            public Map<String, Object> values() {
                return Map.of();
            }

            @Override
            public String toString() {
                return "FeatureFlagEvaluations[empty]";
            }
        };
    }

    /**
     * @return the distinct id the flags were evaluated for
     */
    String distinctId();

    /**
     * @param key the flag key
     * @return whether the flag is on; false when it is not in the snapshot
     */
    boolean isEnabled(String key);

    /**
     * @param key the flag key
     * @return the value ({@link Boolean} or variant {@link String}), or null when it is
     * not in the snapshot
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

    /**
     * @return the keys of the evaluated flags (silent)
     */
    Set<String> keys();

    /**
     * @return flag key to value, without reporting access (silent)
     */
    Map<String, Object> values();

}
