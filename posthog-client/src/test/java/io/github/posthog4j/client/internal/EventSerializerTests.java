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

    @Test
    void whenWritingStringsShouldEscapeExactlyAsJacksonDoes() throws Exception {
        EventWriter writer = new EventWriter();
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            every.append(c);
        }
        every.append("\u20ac\uffff\ud83d\ude00 end");
        java.util.List<String> samples = new java.util.ArrayList<>(java.util.List.of("", "plain", every.toString()));
        for (int i = 0; i < 2_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(0, 40);
            for (int j = 0; j < n; j++) {
                int pick = random.nextInt(0, 10);
                if (pick < 6) {
                    b.append((char) random.nextInt(0, 0x80));
                }
                else if (pick < 8) {
                    b.append((char) random.nextInt(0x80, 0xD800));
                }
                else {
                    b.appendCodePoint(random.nextInt(0x10000, 0x10FFFF));
                }
            }
            samples.add(b.toString());
        }
        for (String sample : samples) {
            writer.reset();
            writer.string(sample);
            String ours = new String(writer.bytes(), 0, writer.length(), StandardCharsets.UTF_8);
            assertThat(ours).isEqualTo(EventSerializer.MAPPER.writeValueAsString(sample));
        }
        writer.reset();
        assertThatThrownBy(() -> writer.string("broken \ud83d pair"))
            .isInstanceOf(EventSerializer.InvalidEventException.class);
    }

    @Test
    void whenWritingValuesShouldMatchJackson() throws Exception {
        EventWriter writer = new EventWriter();
        Object[] values = { null, 0, 7, -12, Integer.MAX_VALUE, Long.MIN_VALUE, 42L, true, false, 42.5, -0.0, 1e-7,
                1.0E22, Double.NaN, Double.POSITIVE_INFINITY, 3.5f, (short) 4, new java.math.BigDecimal("1.50"),
                java.util.List.of(1, "a", Map.of("k", "v")), Instant.ofEpochSecond(1) };
        for (Object value : values) {
            writer.reset();
            writer.value(value);
            assertThat(new String(writer.bytes(), 0, writer.length(), StandardCharsets.UTF_8)).as("%s", value)
                .isEqualTo(EventSerializer.MAPPER.writeValueAsString(value));
        }
    }

}
