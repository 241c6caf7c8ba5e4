package io.github.posthog4j.client;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a feature flag is evaluated: the groups and properties to evaluate against, and
 * per-call switches. Immutable; build one with {@link #builder()}. {@link #none()} is the
 * empty options.
 *
 * <pre>{@code
 * FlagOptions options = FlagOptions.builder()
 *         .group("company", "acme")
 *         .personProperty("plan", "pro")
 *         .groupProperty("company", "size", 250)
 *         .build();
 * boolean on = posthog.isFeatureEnabled("new-checkout", "user-42", options);
 * }</pre>
 */
public final class FlagOptions {

    private static final FlagOptions NONE = new Builder().build();

    private final Map<String, String> groups;

    private final Map<String, Object> personProperties;

    private final Map<String, Map<String, Object>> groupProperties;

    private final boolean onlyEvaluateLocally;

    private final Boolean sendFeatureFlagEvents;

    private final Boolean disableGeoip;

    private final Set<String> flagKeys;

    private final String deviceId;

    private FlagOptions(Builder b) {
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(b.groups));
        this.personProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.personProperties));
        Map<String, Map<String, Object>> gp = new LinkedHashMap<>();
        b.groupProperties
            .forEach((type, props) -> gp.put(type, Collections.unmodifiableMap(new LinkedHashMap<>(props))));
        this.groupProperties = Collections.unmodifiableMap(gp);
        this.onlyEvaluateLocally = b.onlyEvaluateLocally;
        this.sendFeatureFlagEvents = b.sendFeatureFlagEvents;
        this.disableGeoip = b.disableGeoip;
        this.flagKeys = Collections.unmodifiableSet(new LinkedHashSet<>(b.flagKeys));
        this.deviceId = b.deviceId;
    }

    /**
     * @return options with no groups, no properties and every switch at its default
     */
    public static FlagOptions none() {
        return NONE;
    }

    /**
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return group type to group key, e.g. {@code company -> acme}
     */
    public Map<String, String> groups() {
        return groups;
    }

    /**
     * @return the person properties to evaluate against
     */
    public Map<String, Object> personProperties() {
        return personProperties;
    }

    /**
     * @return group type to that group's properties
     */
    public Map<String, Map<String, Object>> groupProperties() {
        return groupProperties;
    }

    /**
     * @return whether PostHog must not be asked when local evaluation cannot decide
     */
    public boolean onlyEvaluateLocally() {
        return onlyEvaluateLocally;
    }

    /**
     * @return whether to capture {@code $feature_flag_called}; null means the client's
     * default
     */
    public Boolean sendFeatureFlagEvents() {
        return sendFeatureFlagEvents;
    }

    /**
     * @return whether PostHog should skip GeoIP for this evaluation; null means the
     * client's default
     */
    public Boolean disableGeoip() {
        return disableGeoip;
    }

    /**
     * @return the flag keys that {@code getAllFlags}, {@code getAllFlagsAndPayloads} and
     * {@code evaluateFlags} are limited to; empty means every flag
     */
    public Set<String> flagKeys() {
        return flagKeys;
    }

    /**
     * @return the device id for flags that bucket by device, or null
     */
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String toString() {
        return "FlagOptions[groups=" + groups.keySet() + ", personProperties=" + personProperties.size()
                + ", groupProperties=" + groupProperties.keySet() + ", onlyEvaluateLocally=" + onlyEvaluateLocally
                + ", sendFeatureFlagEvents=" + sendFeatureFlagEvents + ", disableGeoip=" + disableGeoip + ", flagKeys="
                + flagKeys + "]";
    }

    /** Builds {@link FlagOptions}. Not thread-safe. */
    public static final class Builder {

        private final Map<String, String> groups = new LinkedHashMap<>();

        private final Map<String, Object> personProperties = new LinkedHashMap<>();

        private final Map<String, Map<String, Object>> groupProperties = new LinkedHashMap<>();

        private boolean onlyEvaluateLocally;

        private Boolean sendFeatureFlagEvents;

        private Boolean disableGeoip;

        private final Set<String> flagKeys = new LinkedHashSet<>();

        private String deviceId;

        private Builder() {
        }

        /**
         * Adds a group the subject belongs to.
         * @param groupType the group type, e.g. {@code company}
         * @param groupKey the group key, e.g. {@code acme}
         * @return this builder
         */
        public Builder group(String groupType, String groupKey) {
            if (groupType != null && groupKey != null) {
                groups.put(groupType, groupKey);
            }
            return this;
        }

        /**
         * Adds groups.
         * @param values group type to group key; null is ignored
         * @return this builder
         */
        public Builder groups(Map<String, String> values) {
            if (values != null) {
                values.forEach(this::group);
            }
            return this;
        }

        /**
         * Adds a person property.
         * @param key the property name
         * @param value the value (may be null: known to be empty)
         * @return this builder
         */
        public Builder personProperty(String key, Object value) {
            if (key != null) {
                personProperties.put(key, value);
            }
            return this;
        }

        /**
         * Adds person properties.
         * @param values the properties; null is ignored
         * @return this builder
         */
        public Builder personProperties(Map<String, ?> values) {
            if (values != null) {
                values.forEach(this::personProperty);
            }
            return this;
        }

        /**
         * Adds a property of a group type.
         * @param groupType the group type
         * @param key the property name
         * @param value the value
         * @return this builder
         */
        public Builder groupProperty(String groupType, String key, Object value) {
            if (groupType != null && key != null) {
                groupProperties.computeIfAbsent(groupType, t -> new LinkedHashMap<>()).put(key, value);
            }
            return this;
        }

        /**
         * Adds properties of group types.
         * @param values group type to properties; null is ignored
         * @return this builder
         */
        public Builder groupProperties(Map<String, ? extends Map<String, ?>> values) {
            if (values != null) {
                values.forEach((type, props) -> {
                    if (props != null) {
                        props.forEach((k, v) -> groupProperty(type, k, v));
                    }
                });
            }
            return this;
        }

        /**
         * Sets whether PostHog must not be asked when local evaluation cannot decide a
         * flag. Default false.
         * @param only whether to evaluate locally only
         * @return this builder
         */
        public Builder onlyEvaluateLocally(boolean only) {
            this.onlyEvaluateLocally = only;
            return this;
        }

        /**
         * Sets whether to capture {@code $feature_flag_called} for this call. Default:
         * the client's setting.
         * @param send whether to send
         * @return this builder
         */
        public Builder sendFeatureFlagEvents(boolean send) {
            this.sendFeatureFlagEvents = send;
            return this;
        }

        /**
         * Sets whether PostHog should skip GeoIP enrichment for this evaluation. Default:
         * the client's setting.
         * @param disable whether to disable GeoIP
         * @return this builder
         */
        public Builder disableGeoip(boolean disable) {
            this.disableGeoip = disable;
            return this;
        }

        /**
         * Limits bulk evaluations ({@code getAllFlags}, {@code evaluateFlags}, ...) to
         * these keys.
         * @param keys the flag keys
         * @return this builder
         */
        public Builder flagKeys(Collection<String> keys) {
            if (keys != null) {
                keys.stream().filter(k -> k != null && !k.isBlank()).forEach(flagKeys::add);
            }
            return this;
        }

        /**
         * Limits bulk evaluations to these keys.
         * @param keys the flag keys
         * @return this builder
         */
        public Builder flagKeys(String... keys) {
            return (keys == null) ? this : flagKeys(java.util.Arrays.asList(keys));
        }

        /**
         * Sets the device id, for flags that bucket by device.
         * @param deviceId the device id
         * @return this builder
         */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /**
         * @return the options
         */
        public FlagOptions build() {
            return new FlagOptions(this);
        }

    }

}
