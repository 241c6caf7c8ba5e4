package io.github.posthog4j.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one captured event can carry. Create with {@link #builder(String, String)};
 * instances are immutable.
 *
 * <pre>{@code
 * client.capture(CaptureOptions.builder("user-1", "order placed")
 *         .property("total", 42)
 *         .group("company", "acme")
 *         .set("plan", "pro")
 *         .build());
 * }</pre>
 */
public final class CaptureOptions {

    private final String distinctId;

    private final String event;

    private final Map<String, Object> properties;

    private final Instant timestamp;

    private final String uuid;

    private final Map<String, String> groups;

    private final Map<String, Object> set;

    private final Map<String, Object> setOnce;

    private final Boolean disableGeoip;

    private final boolean sendFeatureFlags;

    private final FlagOptions featureFlagOptions;

    private final FeatureFlagEvaluations flags;

    private final @Nullable Boolean cookielessMode;

    private final @Nullable Boolean disableSkewCorrection;

    private final @Nullable Boolean processPersonProfile;

    private final @Nullable String productTourId;

    private CaptureOptions(Builder b) {
        this.distinctId = b.distinctId;
        this.event = b.event;
        this.properties = freeze(b.properties);
        this.timestamp = b.timestamp;
        this.uuid = b.uuid;
        this.groups = freeze(b.groups);
        this.set = freeze(b.set);
        this.setOnce = freeze(b.setOnce);
        this.disableGeoip = b.disableGeoip;
        this.sendFeatureFlags = b.sendFeatureFlags;
        this.featureFlagOptions = b.featureFlagOptions;
        this.flags = b.flags;
        this.cookielessMode = b.cookielessMode;
        this.disableSkewCorrection = b.disableSkewCorrection;
        this.processPersonProfile = b.processPersonProfile;
        this.productTourId = b.productTourId;
    }

    private static <V> Map<String, V> freeze(Map<String, V> map) {
        return (map == null || map.isEmpty()) ? Collections.emptyMap() : Collections.unmodifiableMap(map);
    }

    /**
     * Starts an event.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @return a builder
     */
    public static Builder builder(String distinctId, String event) {
        return new Builder(distinctId, event);
    }

    /**
     * @return the distinct id, possibly null
     */
    public String distinctId() {
        return distinctId;
    }

    /**
     * @return the event name
     */
    public String event() {
        return event;
    }

    /**
     * @return the event properties, unmodifiable
     */
    public Map<String, Object> properties() {
        return properties;
    }

    /**
     * @return the explicit timestamp, or null for "now"
     */
    public @Nullable Instant timestamp() {
        return timestamp;
    }

    /**
     * @return the explicit UUID, or null to generate one
     */
    public @Nullable String uuid() {
        return uuid;
    }

    /**
     * @return the groups (type to key), unmodifiable
     */
    public Map<String, String> groups() {
        return groups;
    }

    /**
     * @return the {@code $set} person properties, unmodifiable
     */
    public Map<String, Object> set() {
        return set;
    }

    /**
     * @return the {@code $set_once} person properties, unmodifiable
     */
    public Map<String, Object> setOnce() {
        return setOnce;
    }

    /**
     * @return whether GeoIP enrichment is disabled for this event, or null for the
     * client's setting
     */
    public @Nullable Boolean disableGeoip() {
        return disableGeoip;
    }

    /**
     * @return whether the client evaluates the person's flags at capture and attaches
     * them
     */
    public boolean sendFeatureFlags() {
        return sendFeatureFlags;
    }

    /**
     * @return the options of that evaluation, or null for the event's own groups only
     */
    public @Nullable FlagOptions featureFlagOptions() {
        return featureFlagOptions;
    }

    /**
     * @return a flag snapshot whose values are attached to the event, or null
     */
    public @Nullable FeatureFlagEvaluations flags() {
        return flags;
    }

    /**
     * @return the cookieless-mode override ({@code $cookieless_mode}; capture v1 option
     * {@code cookieless_mode}), or null when unset
     */
    public @Nullable Boolean cookielessMode() {
        return cookielessMode;
    }

    /**
     * @return whether PostHog should not correct the timestamp for clock skew
     * ({@code $ignore_sent_at}; capture v1 option {@code disable_skew_correction}), or
     * null when unset
     */
    public @Nullable Boolean disableSkewCorrection() {
        return disableSkewCorrection;
    }

    /**
     * @return whether PostHog creates or updates a person profile for the event
     * ({@code $process_person_profile}; capture v1 option
     * {@code process_person_profile}), or null when unset
     */
    public @Nullable Boolean processPersonProfile() {
        return processPersonProfile;
    }

    /**
     * @return the product tour the event belongs to ({@code $product_tour_id}; capture v1
     * option {@code product_tour_id}), or null when unset
     */
    public @Nullable String productTourId() {
        return productTourId;
    }

    @Override
    public String toString() {
        return "CaptureOptions[event=" + event + ", properties=" + properties.size() + "]";
    }

    /** Builds {@link CaptureOptions}. Not thread-safe. */
    public static final class Builder {

        private final String distinctId;

        private final String event;

        private Map<String, Object> properties;

        private Instant timestamp;

        private String uuid;

        private Map<String, String> groups;

        private Map<String, Object> set;

        private Map<String, Object> setOnce;

        private Boolean disableGeoip;

        private boolean sendFeatureFlags;

        private FlagOptions featureFlagOptions;

        private FeatureFlagEvaluations flags;

        private @Nullable Boolean cookielessMode;

        private @Nullable Boolean disableSkewCorrection;

        private @Nullable Boolean processPersonProfile;

        private @Nullable String productTourId;

        private Builder(String distinctId, String event) {
            this.distinctId = distinctId;
            this.event = event;
        }

        /**
         * Adds one property.
         * @param key the name
         * @param value the value (any Jackson-serialisable value)
         * @return this builder
         */
        public Builder property(String key, @Nullable Object value) {
            if (properties == null) {
                properties = new LinkedHashMap<>();
            }
            properties.put(key, value);
            return this;
        }

        /**
         * Adds properties (copied).
         * @param values the properties; null is ignored
         * @return this builder
         */
        public Builder properties(@Nullable Map<String, ?> values) {
            if (values != null && !values.isEmpty()) {
                if (properties == null) {
                    properties = new LinkedHashMap<>(values);
                }
                else {
                    properties.putAll(values);
                }
            }
            return this;
        }

        /**
         * Sets when the event happened; sent in UTC.
         * @param timestamp the instant; null means now
         * @return this builder
         */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /**
         * Sets when the event happened, from a date-time with an offset; converted to
         * UTC.
         * @param timestamp the date-time; null means now
         * @return this builder
         */
        public Builder timestamp(OffsetDateTime timestamp) {
            this.timestamp = (timestamp != null) ? timestamp.toInstant() : null;
            return this;
        }

        /**
         * Sets the event's UUID (for idempotent re-sends); by default a UUIDv7 is
         * generated.
         * @param uuid a UUID string; an invalid one is replaced by a generated UUID with
         * a WARN
         * @return this builder
         */
        public Builder uuid(String uuid) {
            this.uuid = uuid;
            return this;
        }

        /**
         * Associates the event with a group ({@code $groups}).
         * @param groupType the group type, e.g. {@code company}
         * @param groupKey the group key
         * @return this builder
         */
        public Builder group(String groupType, String groupKey) {
            if (groups == null) {
                groups = new LinkedHashMap<>();
            }
            groups.put(groupType, groupKey);
            return this;
        }

        /**
         * Associates the event with groups ({@code $groups}).
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
         * Sets a person property with the event ({@code $set}).
         * @param key the name
         * @param value the value
         * @return this builder
         */
        public Builder set(String key, Object value) {
            if (set == null) {
                set = new LinkedHashMap<>();
            }
            set.put(key, value);
            return this;
        }

        /**
         * Sets person properties with the event ({@code $set}).
         * @param values the properties; null is ignored
         * @return this builder
         */
        public Builder set(Map<String, ?> values) {
            if (values != null) {
                values.forEach(this::set);
            }
            return this;
        }

        /**
         * Sets a person property with the event unless already set ({@code $set_once}).
         * @param key the name
         * @param value the value
         * @return this builder
         */
        public Builder setOnce(String key, Object value) {
            if (setOnce == null) {
                setOnce = new LinkedHashMap<>();
            }
            setOnce.put(key, value);
            return this;
        }

        /**
         * Sets person properties with the event unless already set ({@code $set_once}).
         * @param values the properties; null is ignored
         * @return this builder
         */
        public Builder setOnce(Map<String, ?> values) {
            if (values != null) {
                values.forEach(this::setOnce);
            }
            return this;
        }

        /**
         * Overrides the client's GeoIP setting for this event ({@code $geoip_disable}).
         * @param disable whether PostHog should skip GeoIP enrichment
         * @return this builder
         */
        public Builder disableGeoip(boolean disable) {
            this.disableGeoip = disable;
            return this;
        }

        /**
         * Makes the client evaluate the person's feature flags when the event is captured
         * and attach them as {@code $feature/<key>} and {@code $active_feature_flags}.
         * With local evaluation and loaded definitions this never leaves the process
         * (flags that cannot be decided locally are left out); otherwise it is a
         * {@code /flags} request on the capturing thread, bounded by the flags request
         * timeout. Prefer {@link #flags(FeatureFlagEvaluations)} with a snapshot you
         * already have.
         * @param send whether to attach the flags
         * @return this builder
         */
        public Builder sendFeatureFlags(boolean send) {
            this.sendFeatureFlags = send;
            return this;
        }

        /**
         * Like {@link #sendFeatureFlags(boolean) sendFeatureFlags(true)}, evaluating with
         * these options (their groups are added to the event's groups for the
         * evaluation).
         * @param options the evaluation options
         * @return this builder
         */
        public Builder sendFeatureFlags(FlagOptions options) {
            this.sendFeatureFlags = true;
            this.featureFlagOptions = options;
            return this;
        }

        /**
         * Attaches the values of a flag snapshot as {@code $feature/<key>} and
         * {@code $active_feature_flags}, without any new evaluation or request and
         * without {@code $feature_flag_called} events.
         * @param snapshot the snapshot from
         * {@link PosthogClient#evaluateFlags(String, FlagOptions)}
         * @return this builder
         */
        public Builder flags(FeatureFlagEvaluations snapshot) {
            this.flags = snapshot;
            return this;
        }

        /**
         * Event option: cookieless mode for this event. Sent as the property
         * {@code $cookieless_mode} with capture v0, as the event option
         * {@code cookieless_mode} with capture v1; unset leaves PostHog's default.
         * @param cookieless whether the event is processed in cookieless mode; null
         * unsets
         * @return this builder
         */
        public Builder cookielessMode(@Nullable Boolean cookieless) {
            this.cookielessMode = cookieless;
            return this;
        }

        /**
         * Event option: no clock-skew correction of the timestamp
         * ({@code $ignore_sent_at} with capture v0, option
         * {@code disable_skew_correction} with v1).
         * @param disable whether to skip skew correction; null unsets
         * @return this builder
         */
        public Builder disableSkewCorrection(@Nullable Boolean disable) {
            this.disableSkewCorrection = disable;
            return this;
        }

        /**
         * Event option: whether PostHog processes a person profile for the event
         * ({@code $process_person_profile} with capture v0, option
         * {@code process_person_profile} with v1).
         * @param process false for a personless event; null unsets
         * @return this builder
         */
        public Builder processPersonProfile(@Nullable Boolean process) {
            this.processPersonProfile = process;
            return this;
        }

        /**
         * Event option: the product tour the event belongs to ({@code $product_tour_id}
         * with capture v0, option {@code product_tour_id} with v1).
         * @param tourId the tour id; null unsets
         * @return this builder
         */
        public Builder productTourId(@Nullable String tourId) {
            this.productTourId = tourId;
            return this;
        }

        /**
         * @return the options
         */
        public CaptureOptions build() {
            return new CaptureOptions(this);
        }

    }

}
