package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EventSerializerTests {

    private final EventSerializer serializer = new EventSerializer();

    @Test
    void whenFormattingMillisShouldMatchTheInstantEverywhere() {
        SplittableRandom random = new SplittableRandom(42);
        long[] fixed = { 0, 1, 999, 1000, 1_735_787_045_006L, -1, -1000, -1001, 253_402_300_799_999L };
        for (long millis : fixed) {
            assertThat(Instant.parse(serializer.formatMillis(millis))).isEqualTo(Instant.ofEpochMilli(millis));
        }
        long millis = 1_700_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            millis += random.nextLong(0, 5_000); // mostly same-second neighbours:
                                                 // exercises the cache
            String text = serializer.formatMillis(millis);
            assertThat(text).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(Instant.parse(text)).isEqualTo(Instant.ofEpochMilli(millis));
        }
    }

    @Test
    void whenAnEventFailsShouldSerialiseTheNextOneCleanly() throws Exception {
        Map<String, @Nullable Object> bad = new LinkedHashMap<>();
        bad.put("ok", 1);
        bad.put("self", bad); // a cycle: fails half-way through the properties
        QueuedEvent broken = new QueuedEvent("0190a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5b", "broken", "u", 0, null, bad,
                Map.of(), false, null);
        QueuedEvent good = new QueuedEvent("0190a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5c", "good", "u", 0, null,
                new LinkedHashMap<>(Map.of("plan", "pro")), Map.of("$lib", "x", "team", "a"), true, null);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> serializer.serialize(broken, false))
                .isInstanceOf(EventSerializer.InvalidEventException.class);
            JsonNode json = new ObjectMapper().readTree(serializer.serialize(good, true));
            assertThat(json.get("uuid").asText()).isEqualTo(good.uuid);
            assertThat(json.get("event").asText()).isEqualTo("good");
            assertThat(json.get("properties").get("plan").asText()).isEqualTo("pro");
            assertThat(json.get("properties").get("team").asText()).isEqualTo("a");
            assertThat(json.get("properties").get("$geoip_disable").asBoolean()).isTrue();
            assertThat(json.get("properties").get("$process_person_profile").asBoolean()).isFalse();
            int length = serializer.serializeInPlace(good, false);
            assertThat(new String(serializer.bytes(), 0, length, StandardCharsets.UTF_8)).startsWith("{\"uuid\":\"")
                .endsWith("}}");
        }
    }

}
