package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.posthog4j.client.internal.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One flag of a {@code /flags} response, and the parsing of both response shapes
 * ({@code v=2} {@code flags} objects, and the legacy {@code featureFlags} /
 * {@code featureFlagPayloads} maps).
 *
 * @param key the flag key
 * @param enabled whether the flag is on (a variant counts as on)
 * @param variant the variant, or null
 * @param payload the decoded payload of an enabled flag, or null
 * @param reason the reason's description (or code), or null
 * @param id the flag id, or null
 * @param version the flag version, or null
 * @param hasExperiment whether the flag is linked to an experiment, or null when PostHog
 * did not say
 */
record RemoteFlag(String key, boolean enabled, @Nullable String variant, @Nullable JsonNode payload,
        @Nullable String reason, @Nullable Long id, @Nullable Integer version, @Nullable Boolean hasExperiment) {

    /**
     * @param root a {@code /flags} response object
     * @return its flags by key, in response order
     */
    static Map<String, RemoteFlag> parseAll(JsonNode root) {
        Map<String, RemoteFlag> flags = new LinkedHashMap<>();
        JsonNode v2 = root.get("flags");
        if (v2 != null && v2.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v2.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode f = e.getValue();
                if (!f.isObject()) {
                    continue;
                }
                String variant = text(f.get("variant"));
                boolean enabled = f.path("enabled").asBoolean(false) || variant != null;
                JsonNode metadata = f.path("metadata");
                JsonNode reason = f.path("reason");
                String description = text(reason.get("description"));
                if (description == null) {
                    description = text(reason.get("code"));
                }
                Long id = metadata.path("id").isIntegralNumber() ? metadata.path("id").asLong() : null;
                Integer version = metadata.path("version").isIntegralNumber() ? metadata.path("version").asInt() : null;
                JsonNode experiment = metadata.path("has_experiment");
                flags.put(e.getKey(),
                        new RemoteFlag(e.getKey(), enabled, variant,
                                enabled ? decodePayload(metadata.get("payload")) : null, description, id, version,
                                experiment.isBoolean() ? experiment.booleanValue() : null));
            }
            return flags;
        }
        JsonNode v1 = root.get("featureFlags");
        JsonNode payloads = root.path("featureFlagPayloads");
        if (v1 != null && v1.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v1.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                String variant = v.isTextual() ? v.asText() : null;
                boolean enabled = variant != null || v.asBoolean(false);
                flags.put(e.getKey(), new RemoteFlag(e.getKey(), enabled, variant,
                        enabled ? decodePayload(payloads.get(e.getKey())) : null, null, null, null, null));
            }
        }
        return flags;
    }

    /**
     * @param raw a payload as PostHog sends it: JSON, or JSON encoded in a string
     * @return the payload as JSON (text that is not JSON becomes a JSON string), or null
     */
    static @Nullable JsonNode decodePayload(@Nullable JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return null;
        }
        if (raw.isTextual()) {
            String t = raw.asText();
            if (t.isEmpty()) {
                return null;
            }
            try {
                return Json.mapper().readTree(t);
            }
            catch (JsonProcessingException ex) {
                return TextNode.valueOf(t);
            }
        }
        return raw;
    }

    static @Nullable String text(@Nullable JsonNode n) {
        return (n == null || n.isNull() || !n.isValueNode()) ? null : n.asText();
    }

}
