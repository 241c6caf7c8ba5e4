package io.github.posthog4j.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The feature-flag request of a spooled capture ({@code sendFeatureFlags} when the flags
 * are not known locally): written next to the event in its spool record on the capturing
 * thread, read back by the delivery side, which then adds {@code $feature/<key>} and
 * {@code $active_feature_flags} (asking PostHog if need be) before sending, also after a
 * restart. Values of person and group properties go through JSON, as they would in a
 * {@code /flags} request.
 */
final class SpooledFlags {

    private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {
    };

    private SpooledFlags() {
    }

    /**
     * @param options the capture
     * @return the request as JSON bytes
     */
    static byte[] encode(CaptureOptions options) {
        Map<String, @Nullable Object> request = new LinkedHashMap<>();
        request.put("distinct_id", options.distinctId());
        request.put("groups", options.groups());
        FlagOptions f = options.featureFlagOptions();
        if (f != null) {
            request.put("groups_for_flags", f.groups());
            request.put("flag_keys", f.flagKeys());
            request.put("device_id", f.deviceId());
            request.put("only_evaluate_locally", f.onlyEvaluateLocally());
            request.put("disable_geoip", f.disableGeoip());
            request.put("person_properties", f.personProperties());
            request.put("group_properties", f.groupProperties());
        }
        try {
            return EventSerializer.MAPPER.writeValueAsBytes(request);
        }
        catch (JsonProcessingException ex) {
            // a property value JSON cannot hold: evaluate without the properties
            request.remove("person_properties");
            request.remove("group_properties");
            try {
                return EventSerializer.MAPPER.writeValueAsBytes(request);
            }
            catch (JsonProcessingException again) {
                throw new IllegalStateException("cannot encode the flag request", again);
            }
        }
    }

    /**
     * @param record a spooled event with a flag request
     * @return the event, to be enriched and serialised again by the delivery side; or
     * null when the record cannot be decoded (it is then sent as it is)
     */
    static @Nullable QueuedEvent decode(SpoolRecord record, byte[] request) {
        try {
            JsonNode event = EventSerializer.MAPPER.readTree(record.json());
            JsonNode r = EventSerializer.MAPPER.readTree(request);
            String name = event.path("event").asText();
            String distinctId = event.path("distinct_id").asText();
            Instant timestamp = Instant.parse(event.path("timestamp").asText());
            Map<String, @Nullable Object> properties = EventSerializer.MAPPER.convertValue(event.path("properties"),
                    MAP);
            FlagOptions.Builder flags = FlagOptions.builder()
                .groups(strings(r.path("groups_for_flags")))
                .onlyEvaluateLocally(r.path("only_evaluate_locally").asBoolean(false));
            if (r.path("flag_keys").isArray()) {
                flags.flagKeys(
                        EventSerializer.MAPPER.convertValue(r.get("flag_keys"), new TypeReference<List<String>>() {
                        }));
            }
            if (r.hasNonNull("device_id")) {
                flags.deviceId(r.get("device_id").asText());
            }
            if (r.hasNonNull("disable_geoip")) {
                flags.disableGeoip(r.get("disable_geoip").asBoolean());
            }
            if (r.path("person_properties").isObject()) {
                flags.personProperties(EventSerializer.MAPPER.convertValue(r.get("person_properties"), MAP));
            }
            if (r.path("group_properties").isObject()) {
                flags.groupProperties(EventSerializer.MAPPER.convertValue(r.get("group_properties"),
                        new TypeReference<Map<String, Map<String, Object>>>() {
                        }));
            }
            CaptureOptions options = CaptureOptions.builder(r.path("distinct_id").asText(distinctId), name)
                .groups(strings(r.path("groups")))
                .sendFeatureFlags(flags.build())
                .build();
            QueuedEvent e = new QueuedEvent(record.uuid(), name, distinctId, timestamp.toEpochMilli(), timestamp,
                    properties, Map.of(), false, Boolean.FALSE);
            e.flagsFor = options;
            e.record = record;
            return e;
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining((f) -> out.put(f.getKey(), f.getValue().asText()));
        }
        return out;
    }

}
