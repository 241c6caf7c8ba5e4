package io.github.posthog4j.client.internal.flags;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a flag is evaluated for.
 *
 * <p>
 * Maps are copied shallowly; property values may be {@link String}, {@link Number},
 * {@link Boolean}, {@link java.util.Collection}, {@link java.time.temporal.Temporal} date
 * types, {@link java.util.Date}, Jackson {@link com.fasterxml.jackson.databind.JsonNode}
 * or {@code null}. A key that is absent is "unknown" (the flag may become inconclusive);
 * a key mapped to {@code null} is "known to be empty". Internal API.
 *
 * @param distinctId the person's distinct id; also the default bucketing value
 * @param groups group type name to group key, e.g. {@code "company" -> "acme"}
 * @param personProperties the person's properties
 * @param groupProperties group type name to that group's properties
 * @param deviceId the device id, used only by flags that bucket by device; may be
 * {@code null}
 */
public record FlagEvaluationContext(String distinctId, Map<String, String> groups, Map<String, Object> personProperties,
        Map<String, Map<String, Object>> groupProperties, String deviceId) {

    public FlagEvaluationContext {
        Objects.requireNonNull(distinctId, "distinctId");
        groups = copy(groups);
        personProperties = copy(personProperties);
        Map<String, Map<String, Object>> groupProps = new LinkedHashMap<>();
        if (groupProperties != null) {
            groupProperties.forEach((type, props) -> groupProps.put(type, copy(props)));
        }
        groupProperties = Collections.unmodifiableMap(groupProps);
    }

    /** A context with only a distinct id. */
    public static FlagEvaluationContext of(String distinctId) {
        return new FlagEvaluationContext(distinctId, null, null, null, null);
    }

    /** A context without device id. */
    public static FlagEvaluationContext of(String distinctId, Map<String, String> groups,
            Map<String, Object> personProperties, Map<String, Map<String, Object>> groupProperties) {
        return new FlagEvaluationContext(distinctId, groups, personProperties, groupProperties, null);
    }

    /** This context with other person properties. */
    public FlagEvaluationContext withPersonProperties(Map<String, Object> properties) {
        return new FlagEvaluationContext(distinctId, groups, properties, groupProperties, deviceId);
    }

    /** This context with other groups and group properties. */
    public FlagEvaluationContext withGroups(Map<String, String> newGroups,
            Map<String, Map<String, Object>> newGroupProperties) {
        return new FlagEvaluationContext(distinctId, newGroups, personProperties, newGroupProperties, deviceId);
    }

    /** This context with a device id. */
    public FlagEvaluationContext withDeviceId(String newDeviceId) {
        return new FlagEvaluationContext(distinctId, groups, personProperties, groupProperties, newDeviceId);
    }

    /**
     * The person properties local evaluation sees: the supplied ones plus
     * {@code distinct_id} when not supplied (as PostHog SDKs do).
     */
    Map<String, Object> localPersonProperties() {
        if (personProperties.containsKey("distinct_id")) {
            return personProperties;
        }
        Map<String, Object> props = new LinkedHashMap<>(personProperties);
        props.put("distinct_id", distinctId);
        return props;
    }

    /**
     * The group properties local evaluation sees: for every supplied group,
     * {@code $group_key} set to the group key, then the supplied properties of that group
     * on top (as PostHog SDKs do).
     */
    Map<String, Map<String, Object>> localGroupProperties() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        groups.forEach((type, key) -> {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("$group_key", key);
            Map<String, Object> supplied = groupProperties.get(type);
            if (supplied != null) {
                props.putAll(supplied);
            }
            all.put(type, props);
        });
        return all;
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        // LinkedHashMap (not Map.copyOf) because property values may legitimately be
        // null.
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
