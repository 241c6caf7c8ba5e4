package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes over the wire: envelope, event shape, enrichment, compression. */
class CaptureWireTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.apiKey("phc_wire_key"));

    private ManagedPosthogClient client;

    private PosthogClientBuilder builder() {
        return this.posthog.builder();
    }

    @Test
    void whenCapturedShouldSendEnvelopeAndEventShape() {
        client = this.posthog.track(builder().build());
        String uuid = client.capture("user-1", "order placed", Map.of("total", 42, "currency", "EUR"));
        assertThat(client.flush()).isEqualTo(1);

        PosthogStandIn.Request request = posthog.server().batchRequests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/batch/");
        assertThat(request.headers()).containsEntry("content-encoding", "gzip");
        assertThat(request.headers().get("content-type")).startsWith("application/json");
        JsonNode body = request.json();
        assertThat(body.get("api_key").asText()).isEqualTo("phc_wire_key");
        assertThat(body.get("historical_migration").asBoolean()).isFalse();
        assertThat(Instant.parse(body.get("sent_at").asText())).isBefore(Instant.now().plusSeconds(1));
        JsonNode event = body.get("batch").get(0);
        assertThat(event.get("event").asText()).isEqualTo("order placed");
        assertThat(event.get("distinct_id").asText()).isEqualTo("user-1");
        assertThat(event.get("uuid").asText()).isEqualTo(uuid);
        assertThat(UUID.fromString(uuid).version()).isEqualTo(7);
        assertThat(event.get("timestamp").asText()).endsWith("Z");
        assertThat(Instant.parse(event.get("timestamp").asText())).isBetween(Instant.now().minusSeconds(10),
                Instant.now());
        JsonNode props = event.get("properties");
        assertThat(props.get("total").asInt()).isEqualTo(42);
        assertThat(props.get("currency").asText()).isEqualTo("EUR");
        assertThat(props.get("$lib").asText()).isEqualTo("posthog-spring-boot");
        assertThat(props.get("$lib_version").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(props.has("$process_person_profile")).isFalse();
    }

    @Test
    void whenCompressionOffShouldSendPlainJson() {
        client = this.posthog.track(builder().compression(false).build());
        client.capture("u", "plain");
        client.flush();
        PosthogStandIn.Request request = posthog.server().batchRequests().get(0);
        assertThat(request.headers()).doesNotContainKey("content-encoding");
        assertThat(request.wireBytes()).isEqualTo(request.body().length);
        assertThat(request.events()).hasSize(1);
    }

    @Test
    void whenCompressedShouldBeSmallerOnTheWireThanDecoded() {
        client = this.posthog.track(builder().flushAt(50).build());
        for (int i = 0; i < 50; i++) {
            client.capture("user-" + i, "page viewed",
                    Map.of("path", "/products/" + i, "referrer", "https://example.com"));
        }
        client.flush();
        PosthogStandIn.Request request = posthog.server().batchRequests().get(0);
        assertThat(request.events()).hasSize(50);
        assertThat(request.wireBytes()).isLessThan(request.body().length / 3);
    }

    @Test
    void whenNoDistinctIdShouldSendPersonlessEvent() {
        client = this.posthog.track(builder().build());
        client.capture(null, "anonymous thing");
        client.capture(" ", "blank id");
        client.flush();
        List<JsonNode> events = posthog.server().events();
        assertThat(events).hasSize(2);
        for (JsonNode e : events) {
            assertThat(UUID.fromString(e.get("distinct_id").asText())).isNotNull();
            assertThat(e.get("properties").get("$process_person_profile").asBoolean(true)).isFalse();
        }
        assertThat(events.get(0).get("distinct_id").asText()).isNotEqualTo(events.get(1).get("distinct_id").asText());
    }

    @Test
    void whenOptionsGivenShouldSendTimestampUuidGroupsAndPersonProperties() {
        client = this.posthog.track(builder().build());
        String uuid = "0190f3c1-2b6a-7cc2-9d1e-3f4a5b6c7d8e";
        String returned = client.capture(CaptureOptions.builder("user-2", "signed up")
            .timestamp(OffsetDateTime.parse("2025-01-02T08:34:05+05:30"))
            .uuid(uuid)
            .property("timestamp_like", "2025-01-02T08:34:05+05:30")
            .group("company", "acme")
            .set("plan", "pro")
            .setOnce("first_seen", "2025-01-01")
            .disableGeoip(true)
            .build());
        client.flush();
        assertThat(returned).isEqualTo(uuid);
        JsonNode event = posthog.server().events().get(0);
        assertThat(event.get("uuid").asText()).isEqualTo(uuid);
        assertThat(event.get("timestamp").asText()).isEqualTo("2025-01-02T03:04:05Z");
        JsonNode props = event.get("properties");
        assertThat(props.get("timestamp_like").asText()).isEqualTo("2025-01-02T08:34:05+05:30");
        assertThat(props.get("$groups").get("company").asText()).isEqualTo("acme");
        assertThat(props.get("$set").get("plan").asText()).isEqualTo("pro");
        assertThat(props.get("$set_once").get("first_seen").asText()).isEqualTo("2025-01-01");
        assertThat(props.get("$geoip_disable").asBoolean()).isTrue();
    }

    @Test
    void whenIdentifyAliasGroupIdentifySetShouldSendPosthogEventShapes() {
        client = this.posthog.track(builder().build());
        client.identify("user-3", Map.of("email", "a@example.com"), Map.of("signup", "2025"));
        client.alias("user-3", "anon-77");
        client.groupIdentify("company", "acme", Map.of("employees", 12));
        client.set("user-3", Map.of("plan", "team"));
        client.setOnce("user-3", Map.of("first_plan", "free"));
        client.flush();
        List<JsonNode> events = posthog.server().events();
        assertThat(events).extracting(e -> e.get("event").asText())
            .containsExactly("$identify", "$create_alias", "$groupidentify", "$set", "$set_once");

        JsonNode identify = events.get(0);
        assertThat(identify.get("distinct_id").asText()).isEqualTo("user-3");
        assertThat(identify.get("properties").get("$set").get("email").asText()).isEqualTo("a@example.com");
        assertThat(identify.get("properties").get("$set_once").get("signup").asText()).isEqualTo("2025");

        JsonNode alias = events.get(1);
        assertThat(alias.get("distinct_id").asText()).isEqualTo("user-3");
        assertThat(alias.get("properties").get("distinct_id").asText()).isEqualTo("user-3");
        assertThat(alias.get("properties").get("alias").asText()).isEqualTo("anon-77");

        JsonNode group = events.get(2);
        assertThat(group.get("distinct_id").asText()).isEqualTo("$company_acme");
        assertThat(group.get("properties").get("$group_type").asText()).isEqualTo("company");
        assertThat(group.get("properties").get("$group_key").asText()).isEqualTo("acme");
        assertThat(group.get("properties").get("$group_set").get("employees").asInt()).isEqualTo(12);

        assertThat(events.get(3).get("properties").get("$set").get("plan").asText()).isEqualTo("team");
        assertThat(events.get(4).get("properties").get("$set_once").get("first_plan").asText()).isEqualTo("free");
    }

    @Test
    void whenSuperPropertiesSetShouldAddThemUnlessEventOverrides() {
        client = this.posthog.track(builder().superProperty("app", "shop").superProperty("region", "eu").build());
        client.register("release", "1.2.3");
        client.capture("u", "first", Map.of("region", "us"));
        client.unregister("app");
        client.capture("u", "second");
        client.flush();
        List<JsonNode> events = posthog.server().events();
        JsonNode first = events.get(0).get("properties");
        assertThat(first.get("app").asText()).isEqualTo("shop");
        assertThat(first.get("region").asText()).isEqualTo("us");
        assertThat(first.get("release").asText()).isEqualTo("1.2.3");
        JsonNode second = events.get(1).get("properties");
        assertThat(second.has("app")).isFalse();
        assertThat(second.get("region").asText()).isEqualTo("eu");
    }

    @Test
    void whenUserPropertiesNameLibShouldKeepOursAndStayValidJson() {
        client = this.posthog.track(builder().build());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("$lib", "spoofed");
        props.put("when", Instant.parse("2025-03-04T05:06:07Z"));
        props.put("nested", Map.of("list", List.of(1, 2, 3)));
        client.capture("u", "e", props);
        client.flush();
        JsonNode p = posthog.server().events().get(0).get("properties");
        assertThat(p.get("$lib").asText()).isEqualTo("posthog-spring-boot");
        assertThat(p.get("when").asText()).isEqualTo("2025-03-04T05:06:07Z");
        assertThat(p.get("nested").get("list").get(2).asInt()).isEqualTo(3);
    }

    @Test
    void whenHistoricalMigrationAndGeoipDisabledShouldMarkBatchAndEvents() {
        client = this.posthog.track(builder().historicalMigration(true).disableGeoip(true).build());
        client.capture("u", "old");
        client.flush();
        JsonNode body = posthog.server().batchRequests().get(0).json();
        assertThat(body.get("historical_migration").asBoolean()).isTrue();
        assertThat(body.get("batch").get(0).get("properties").get("$geoip_disable").asBoolean()).isTrue();
    }

    @Test
    void whenFlushAtReachedShouldSendWithoutWaitingForTheInterval() {
        client = this.posthog.track(builder().flushAt(10).flushInterval(Duration.ofMinutes(10)).build());
        for (int i = 0; i < 10; i++) {
            client.capture("u", "e" + i);
        }
        // the interval is 10 minutes: only reaching flush-at can send these within
        // seconds
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().eventCount() == 10);
        assertThat(client.status().queueSize()).isZero();
    }

    @Test
    void whenBacklogExceedsFlushAtShouldSendUpToMaxBatchSizePerRequest() {
        client = this.posthog.track(builder().flushAt(10).maxBatchSize(40).buildStopped());
        for (int i = 0; i < 100; i++) {
            client.capture("u", "e" + i);
        }
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().eventCount() == 100);
        // two consumers: the batches travel in parallel and may arrive in any order
        assertThat(posthog.server().batchRequests()).extracting(r -> r.events().size())
            .containsExactlyInAnyOrder(40, 40, 20);
    }

    @Test
    void whenIntervalElapsesShouldSendAPartialBatch() {
        client = this.posthog.track(builder().flushAt(100).flushInterval(Duration.ofMillis(200)).build());
        client.capture("u", "lonely");
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().eventCount() == 1);
    }

}
