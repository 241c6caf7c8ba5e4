package io.github.posthog4j.client;

import java.util.Map;

/**
 * Every evaluated flag with its value, and the payloads of those that have one.
 *
 * @param featureFlags flag key to value ({@link Boolean} or variant {@link String});
 * immutable
 * @param featureFlagPayloads flag key to payload JSON text, only for flags with a
 * payload; immutable
 */
public record FlagsAndPayloads(Map<String, Object> featureFlags, Map<String, String> featureFlagPayloads) {

    /** Copies both maps. */
    public FlagsAndPayloads {
        featureFlags = Map.copyOf(featureFlags);
        featureFlagPayloads = Map.copyOf(featureFlagPayloads);
    }
}
