package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.internal.ClientSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The resolved inputs of one evaluation: the call's options merged over the stored
 * properties for flags and the client's settings.
 *
 * @param distinctId the person
 * @param groups group type to group key
 * @param personProperties stored person properties, overridden by the call's
 * @param groupProperties stored group properties of the given groups, overridden by the
 * call's
 * @param onlyLocal whether PostHog must not be asked
 * @param sendEvents whether reads capture {@code $feature_flag_called}
 * @param disableGeoipOption the call's own GeoIP choice, or null
 * @param disableGeoip the GeoIP choice in effect
 * @param keys the flags asked for (empty: all)
 * @param deviceId the device id, or null
 */
record FlagInputs(String distinctId, Map<String, String> groups, Map<String, Object> personProperties,
        Map<String, Map<String, Object>> groupProperties, boolean onlyLocal, boolean sendEvents,
        @Nullable Boolean disableGeoipOption, boolean disableGeoip, Set<String> keys, @Nullable String deviceId) {

    /**
     * Resolves one evaluation's inputs.
     * @param distinctId the person
     * @param options the call's options, or null
     * @param settings the client's settings
     * @param storedPerson a copy of the stored person properties of {@code distinctId}
     * @param storedGroups a copy of the stored group properties, by group type
     * @return the inputs
     */
    static FlagInputs resolve(String distinctId, @Nullable FlagOptions options, ClientSettings settings,
            Map<String, Object> storedPerson, Map<String, Map<String, Object>> storedGroups) {
        FlagOptions o = (options != null) ? options : FlagOptions.none();
        Map<String, Object> person = new LinkedHashMap<>(storedPerson);
        person.putAll(o.personProperties());
        Map<String, Map<String, Object>> groupProps = new LinkedHashMap<>(storedGroups);
        o.groupProperties()
            .forEach((type, props) -> groupProps.computeIfAbsent(type, t -> new LinkedHashMap<>()).putAll(props));
        boolean send = (o.sendFeatureFlagEvents() != null) ? o.sendFeatureFlagEvents()
                : settings.flags().sendFeatureFlagEvents();
        boolean geoip = (o.disableGeoip() != null) ? o.disableGeoip() : settings.disableGeoip();
        return new FlagInputs(distinctId, o.groups(), person, groupProps, o.onlyEvaluateLocally(), send,
                o.disableGeoip(), geoip, o.flagKeys(), o.deviceId());
    }

    FlagEvaluationContext context() {
        return new FlagEvaluationContext(this.distinctId, this.groups, this.personProperties, this.groupProperties,
                this.deviceId);
    }

}
