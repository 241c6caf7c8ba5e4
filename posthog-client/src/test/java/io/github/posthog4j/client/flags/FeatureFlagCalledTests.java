package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static io.github.posthog4j.client.flags.FlagsFixtures.v2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code $feature_flag_called}: its properties, its deduplication, and when it is not
 * sent.
 */
class FeatureFlagCalledTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<String> flagsBody = new AtomicReference<>(v2("my-flag", true, null, null));

    private ManagedPosthogClient client;

    FeatureFlagCalledTests() {
        posthog.route("/flags", request -> Reply.ok().json(flagsBody.get()));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private ManagedPosthogClient start() {
        client = PosthogClient.builder("phc_called").host(posthog.url()).flushInterval(Duration.ofMillis(20)).build();
        return client;
    }

    @Test
    void whenFlagIsReadShouldCaptureOneEventWithTheDocumentedProperties() {
        flagsBody.set(v2("my-flag", true, "blue", "{\"x\": 1}"));
        start();

        assertThat(client.getFeatureFlag("my-flag", "user_1")).isEqualTo("blue");
        client.flush();

        JsonNode event = flagCalledEvents(posthog).get(0);
        assertThat(flagCalledEvents(posthog)).hasSize(1);
        assertThat(event.path("distinct_id").asText()).isEqualTo("user_1");
        JsonNode p = event.path("properties");
        assertThat(p.path("$feature_flag").asText()).isEqualTo("my-flag");
        assertThat(p.path("$feature_flag_response").asText()).isEqualTo("blue");
        assertThat(p.path("$feature/my-flag").asText()).isEqualTo("blue");
        assertThat(p.path("locally_evaluated").asBoolean(true)).isFalse();
        assertThat(p.path("$feature_flag_payload").path("x").asInt()).isEqualTo(1);
        assertThat(p.path("$feature_flag_request_id").asText()).isEqualTo("req-1");
        assertThat(p.path("$feature_flag_evaluated_at").asLong()).isEqualTo(1700000000000L);
        assertThat(p.path("$feature_flag_reason").asText()).isEqualTo("Matched condition set 1");
        assertThat(p.path("$feature_flag_id").asInt()).isEqualTo(42);
        assertThat(p.path("$feature_flag_version").asInt()).isEqualTo(3);
        assertThat(p.has("$feature_flag_error")).isFalse();
    }

    @Test
    void whenSameFlagValueAndContextRepeatShouldCaptureOnce() {
        start();
        for (int i = 0; i < 5; i++) {
            assertThat(client.isFeatureEnabled("my-flag", "user_1")).isTrue();
        }
        FlagOptions acme = FlagOptions.builder().group("company", "acme").group("project", "p1").build();
        FlagOptions acmeReordered = FlagOptions.builder().group("project", "p1").group("company", "acme").build();
        client.isFeatureEnabled("my-flag", "user_1", acme);
        client.isFeatureEnabled("my-flag", "user_1", acmeReordered);
        client.isFeatureEnabled("my-flag", "user_2");
        flagsBody.set(v2("my-flag", false, null, null));
        client.isFeatureEnabled("my-flag", "user_1");
        client.isFeatureEnabled("my-flag", "user_1");
        client.flush();

        // user_1/true, user_1/true/groups, user_2/true, user_1/false
        assertThat(flagCalledEvents(posthog)).hasSize(4);
        assertThat(flagCalledEvents(posthog).get(1).path("properties").path("$groups").path("company").asText())
            .isEqualTo("acme");
    }

    @Test
    void whenEventsAreTurnedOffShouldCaptureNone() {
        client = PosthogClient.builder("phc_called").host(posthog.url()).sendFeatureFlagEvents(false).build();
        client.isFeatureEnabled("my-flag", "user_1");
        client.getFeatureFlag("my-flag", "user_2", FlagOptions.builder().build());
        client.getFeatureFlag("my-flag", "user_3", FlagOptions.builder().sendFeatureFlagEvents(true).build());
        client.flush();
        assertThat(flagCalledEvents(posthog)).singleElement()
            .satisfies(e -> assertThat(e.path("distinct_id").asText()).isEqualTo("user_3"));
    }

    @Test
    void whenPerCallOptionTurnsEventsOffShouldCaptureNone() {
        start();
        client.isFeatureEnabled("my-flag", "user_1", FlagOptions.builder().sendFeatureFlagEvents(false).build());
        client.flush();
        assertThat(flagsRequests(posthog)).hasSize(1);
        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void whenOnlyThePayloadIsReadShouldStaySilent() {
        flagsBody.set(v2("my-flag", true, null, "{\"limit\": 10}"));
        start();

        assertThat(client.getFeatureFlagPayload("my-flag", "user_1")).isEqualTo("{\"limit\":10}");
        client.flush();

        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void whenPayloadIsPlainTextShouldReturnItAsAJsonString() {
        flagsBody.set(v2("my-flag", true, null, "hello"));
        start();
        assertThat(client.getFeatureFlagPayload("my-flag", "user_1")).isEqualTo("\"hello\"");
    }

}
