package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the local-evaluation document: the flag definitions, the group
 * type mapping (group type index to group type name) and the cohort definitions.
 *
 * <p>
 * Parsing is lenient: unknown fields are ignored, missing collections are empty, and
 * flags without a key are dropped. Property filters and cohort definitions are kept as
 * raw JSON so that evaluation sees exactly what PostHog sent. Internal API.
 */
public final class FlagDefinitions {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final FlagDefinitions EMPTY = new FlagDefinitions(List.of(), Map.of(), Map.of());

    private final List<FeatureFlag> flags;

    private final Map<String, FeatureFlag> flagsByKey;

    private final Map<String, String> groupTypeMapping;

    private final Map<String, JsonNode> cohorts;

    private final boolean minimalFlagCalledEvents;

    /**
     * Creates a snapshot from already typed parts.
     * @param flags the flags in the order PostHog listed them; on duplicate keys the last
     * one wins in {@link #flag(String)}
     * @param groupTypeMapping group type index (as a string, e.g. {@code "0"}) to group
     * type name
     * @param cohorts cohort id (as a string) to its property group definition
     */
    FlagDefinitions(List<FeatureFlag> flags, Map<String, String> groupTypeMapping, Map<String, JsonNode> cohorts) {
        this(flags, groupTypeMapping, cohorts, false);
    }

    /**
     * Creates a snapshot from already typed parts.
     * @param flags the flags in the order PostHog listed them
     * @param groupTypeMapping group type index to group type name
     * @param cohorts cohort id to its property group definition
     * @param minimalFlagCalledEvents whether PostHog turned minimal
     * {@code $feature_flag_called} events on ({@code minimal_flag_called_events: true})
     */
    FlagDefinitions(List<FeatureFlag> flags, Map<String, String> groupTypeMapping, Map<String, JsonNode> cohorts,
            boolean minimalFlagCalledEvents) {
        this.minimalFlagCalledEvents = minimalFlagCalledEvents;
        this.flags = List.copyOf(flags);
        Map<String, FeatureFlag> byKey = new LinkedHashMap<>();
        for (FeatureFlag flag : this.flags) {
            byKey.put(flag.key(), flag);
        }
        this.flagsByKey = Collections.unmodifiableMap(byKey);
        this.groupTypeMapping = Map.copyOf(groupTypeMapping);
        this.cohorts = Map.copyOf(cohorts);
    }

    /** An empty snapshot (no flags). */
    public static FlagDefinitions empty() {
        return EMPTY;
    }

    /**
     * Parses the UTF-8 JSON body of the local-evaluation endpoint.
     * @throws FlagDefinitionsParseException if the body is not a JSON object
     */
    public static FlagDefinitions parse(byte[] json) {
        try {
            return fromJson(MAPPER.readTree(json));
        }
        catch (JsonProcessingException e) {
            throw new FlagDefinitionsParseException(
                    "Malformed feature flag definitions JSON: " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new FlagDefinitionsParseException("Unreadable feature flag definitions: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the JSON text of the local-evaluation endpoint.
     * @throws FlagDefinitionsParseException if the text is not a JSON object
     */
    public static FlagDefinitions parse(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        }
        catch (JsonProcessingException e) {
            throw new FlagDefinitionsParseException(
                    "Malformed feature flag definitions JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Builds a snapshot from an already parsed JSON tree.
     * @throws FlagDefinitionsParseException if the tree is not a JSON object
     */
    public static FlagDefinitions fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new FlagDefinitionsParseException("Feature flag definitions must be a JSON object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType()), null);
        }
        List<FeatureFlag> flags = new ArrayList<>();
        JsonNode flagsNode = root.path("flags");
        if (flagsNode.isArray()) {
            for (JsonNode flagNode : flagsNode) {
                FeatureFlag flag = parseFlag(flagNode);
                if (flag != null) {
                    flags.add(flag);
                }
            }
        }
        Map<String, String> groupTypeMapping = new LinkedHashMap<>();
        JsonNode mappingNode = root.path("group_type_mapping");
        if (mappingNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = mappingNode.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                    groupTypeMapping.put(entry.getKey(), entry.getValue().asText());
                }
            }
        }
        Map<String, JsonNode> cohorts = new LinkedHashMap<>();
        JsonNode cohortsNode = root.path("cohorts");
        if (cohortsNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = cohortsNode.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                cohorts.put(entry.getKey(), entry.getValue());
            }
        }
        JsonNode gate = root.path("minimal_flag_called_events");
        return new FlagDefinitions(flags, groupTypeMapping, cohorts, gate.isBoolean() && gate.booleanValue());
    }

    /**
     * Parses one flag object; returns {@code null} for entries that are not objects or
     * have no key.
     */
    static FeatureFlag parseFlag(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode keyNode = node.get("key");
        if (keyNode == null || !keyNode.isTextual()) {
            return null;
        }
        JsonNode filters = node.path("filters");
        List<FlagCondition> conditions = new ArrayList<>();
        JsonNode groups = filters.path("groups");
        if (groups.isArray()) {
            for (JsonNode group : groups) {
                conditions.add(parseCondition(group));
            }
        }
        List<FlagVariant> variants = new ArrayList<>();
        JsonNode variantNodes = filters.path("multivariate").path("variants");
        if (variantNodes.isArray()) {
            for (JsonNode variant : variantNodes) {
                JsonNode variantKey = variant.get("key");
                JsonNode rollout = variant.get("rollout_percentage");
                variants.add(new FlagVariant(variantKey != null && variantKey.isTextual() ? variantKey.asText() : null,
                        rollout != null && rollout.isNumber() ? rollout.asDouble() : null));
            }
        }
        Map<String, JsonNode> payloads = new LinkedHashMap<>();
        JsonNode payloadNodes = filters.path("payloads");
        if (payloadNodes.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = payloadNodes.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isNull()) {
                    payloads.put(entry.getKey(), entry.getValue());
                }
            }
        }
        JsonNode idNode = node.get("id");
        String bucketing = text(node.get("bucketing_identifier"));
        if (bucketing == null) {
            bucketing = text(filters.get("bucketing_identifier"));
        }
        return new FeatureFlag(idNode != null && idNode.canConvertToLong() ? idNode.asLong() : null, keyNode.asText(),
                truthy(node.get("active")), truthy(node.get("ensure_experience_continuity")),
                groupIndex(filters.get("aggregation_group_type_index")), conditions, variants, payloads,
                truthy(filters.get("early_exit")), bucketing, node);
    }

    private static FlagCondition parseCondition(JsonNode group) {
        List<JsonNode> properties = new ArrayList<>();
        JsonNode props = group.path("properties");
        if (props.isArray()) {
            props.forEach(properties::add);
        }
        JsonNode rollout = group.get("rollout_percentage");
        Double rolloutPercentage = null;
        boolean rolloutMalformed = false;
        if (rollout != null && !rollout.isNull()) {
            if (rollout.isNumber()) {
                rolloutPercentage = rollout.asDouble();
            }
            else {
                rolloutMalformed = true;
            }
        }
        JsonNode variant = group.get("variant");
        boolean overridden = group.has("aggregation_group_type_index");
        return new FlagCondition(properties, rolloutPercentage, rolloutMalformed,
                variant != null && variant.isTextual() ? variant.asText() : null, overridden,
                overridden ? groupIndex(group.get("aggregation_group_type_index")) : null);
    }

    private static Integer groupIndex(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.canConvertToInt() && node.isIntegralNumber()) {
            return node.asInt();
        }
        if (node.isTextual()) {
            try {
                return Integer.valueOf(node.asText().trim());
            }
            catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** Python-style truthiness for the boolean switches of a definition. */
    private static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            return node.asDouble() != 0;
        }
        if (node.isTextual()) {
            return !node.asText().isEmpty();
        }
        return node.size() > 0;
    }

    /** All flags, in the order PostHog listed them. */
    List<FeatureFlag> flags() {
        return flags;
    }

    /** The flag with the given key, or {@code null}. */
    FeatureFlag flag(String key) {
        return flagsByKey.get(key);
    }

    /** Flags by key. */
    Map<String, FeatureFlag> flagsByKey() {
        return flagsByKey;
    }

    /**
     * Group type index (as a string) to group type name, e.g. {@code "0" -> "company"}.
     */
    public Map<String, String> groupTypeMapping() {
        return groupTypeMapping;
    }

    /** Cohort id (as a string) to its property group definition. */
    public Map<String, JsonNode> cohorts() {
        return cohorts;
    }

    /**
     * Whether PostHog turned minimal {@code $feature_flag_called} events on for the
     * project; kept with the definitions, so a 304 keeps it too.
     */
    public boolean minimalFlagCalledEvents() {
        return minimalFlagCalledEvents;
    }

    /** Whether the snapshot holds no flag. */
    public boolean isEmpty() {
        return flags.isEmpty();
    }

}
