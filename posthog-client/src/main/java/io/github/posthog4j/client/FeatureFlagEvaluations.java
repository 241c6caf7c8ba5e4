package io.github.posthog4j.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * event; {@link #only(Collection)} and {@link #onlyAccessed()} narrow what an event gets.
 * Thread-safe.
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

    /**
     * A snapshot with only the given flags of this one, for attaching a deliberate subset
     * to an event. Keys this snapshot does not hold are dropped with a WARN. No
     * evaluation, no request; reads of the new snapshot do not count as reads of this
     * one.
     * @param keys the flag keys to keep
     * @return the filtered snapshot
     */
    default FeatureFlagEvaluations only(Collection<String> keys) {
        Set<String> kept = new LinkedHashSet<>();
        for (String k : keys) {
            if (k != null && keys().contains(k)) {
                kept.add(k);
            }
        }
        FeatureFlagEvaluations parent = this;
        Map<String, Object> values = new LinkedHashMap<>();
        kept.forEach((k) -> values.put(k, parent.values().get(k)));
        return new FeatureFlagEvaluations() {
            @Override
            public String distinctId() {
                return parent.distinctId();
            }

            @Override
            public boolean isEnabled(String key) {
                return kept.contains(key) && parent.isEnabled(key);
            }

            @Override
            public Object getFlag(String key) {
                return kept.contains(key) ? parent.getFlag(key) : null;
            }

            @Override
            public String getFlagPayload(String key) {
                return kept.contains(key) ? parent.getFlagPayload(key) : null;
            }

            @Override
            public FeatureFlagResult getResult(String key) {
                return kept.contains(key) ? parent.getResult(key) : null;
            }

            @Override
            public Set<String> keys() {
                return Set.copyOf(kept);
            }

            @Override
            public Map<String, Object> values() {
                return Map.copyOf(values);
            }
        };
    }

    /**
     * A snapshot with only the flags whose value was read ({@link #isEnabled} or
     * {@link #getFlag}; payload and result reads do not count) before this call: the
     * flags the code actually branched on. Empty when nothing was read yet (never all
     * flags). No evaluation, no request.
     * @return the filtered snapshot
     */
    default FeatureFlagEvaluations onlyAccessed() {
        return empty(distinctId());
    }

}
