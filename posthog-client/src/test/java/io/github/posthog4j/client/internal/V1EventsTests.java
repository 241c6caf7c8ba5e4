package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The canonical event to capture v1: options, lifted fields, what stays. */
class V1EventsTests {

    private static JsonNode convert(String canonical) throws Exception {
        return EventSerializer.MAPPER.readTree(V1Events.fromCanonical(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void whenConvertedShouldMoveOptionsAndLiftSessionIdsAndDropLib() throws Exception {
        JsonNode v1 = convert("""
                {"uuid":"u-1","event":"e","distinct_id":"d","timestamp":"2025-01-02T03:04:05.006Z",
                 "properties":{"$lib":"posthog-spring-boot","$lib_version":"1","a":{"b":[1,2]},
                   "$cookieless_mode":"true","$ignore_sent_at":1,"$process_person_profile":false,
                   "$product_tour_id":"t","$session_id":"s","$window_id":"w","$geoip_disable":true,
                   "$set":{"plan":"pro"}}}""");
        assertThat(v1.get("uuid").asText()).isEqualTo("u-1");
        assertThat(v1.get("timestamp").asText()).isEqualTo("2025-01-02T03:04:05.006Z");
        assertThat(v1.get("session_id").asText()).isEqualTo("s");
        assertThat(v1.get("window_id").asText()).isEqualTo("w");
        JsonNode options = v1.get("options");
        assertThat(options.get("cookieless_mode").asBoolean()).isTrue();
        assertThat(options.get("disable_skew_correction").asBoolean()).isTrue();
        assertThat(options.get("process_person_profile").isBoolean()).isTrue();
        assertThat(options.get("process_person_profile").asBoolean()).isFalse();
        assertThat(options.get("product_tour_id").asText()).isEqualTo("t");
        JsonNode props = v1.get("properties");
        assertThat(props.fieldNames()).toIterable().containsExactly("a", "$geoip_disable", "$set");
        assertThat(props.get("a").get("b").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void whenOptionsHaveTheWrongTypeShouldLeaveThemOut() throws Exception {
        JsonNode v1 = convert("""
                {"uuid":"u","event":"e","distinct_id":"d","timestamp":"t",
                 "properties":{"$cookieless_mode":"maybe","$product_tour_id":42,"$session_id":{"x":1},"k":null}}""");
        assertThat(v1.get("options").size()).isZero();
        assertThat(v1.has("session_id")).isFalse();
        assertThat(v1.get("properties").has("$product_tour_id")).isFalse();
        assertThat(v1.get("properties").get("k").isNull()).isTrue();
    }

}
