package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagSource;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostHog's {@code local-feature-flag-evaluator} and {@code get-feature-flag-payload}
 * specs through the client, with the builder's clock and the payload of a match value.
 */
class LocalEvaluatorContractTests {

    static final String DEFINITIONS = ("{'flags': ["
            + "{'id': 1, 'key': 'beta-ui', 'active': true, 'filters': {'groups': [{'properties': [],"
            + " 'rollout_percentage': 100}]}},"
            + "{'id': 2, 'key': 'checkout', 'active': true, 'filters': {'groups': [{'properties': [],"
            + " 'rollout_percentage': 100, 'variant': 'blue'}], 'multivariate': {'variants': ["
            + "{'key': 'blue', 'rollout_percentage': 50}, {'key': 'red', 'rollout_percentage': 50}]},"
            + " 'payloads': {'blue': '{\\'copy\\': \\'new\\'}', 'red': '{\\'copy\\': \\'old\\'}'}}},"
            + "{'id': 3, 'key': 'company-beta', 'active': true, 'filters': {'aggregation_group_type_index': 0,"
            + " 'groups': [{'properties': [], 'rollout_percentage': 100}]}},"
            + "{'id': 4, 'key': 'enterprise-ui', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'email', 'value': 'admin@', 'operator': 'starts_with', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}},"
            + "{'id': 5, 'key': 'future-op-flag', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'plan', 'value': 'enterprise', 'operator': 'some_future_operator', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}},"
            + "{'id': 6, 'key': 'recent-signup', 'active': true, 'filters': {'groups': [{'properties':"
            + " [{'key': 'signed_up', 'value': '-7d', 'operator': 'is_date_after', 'type': 'person'}],"
            + " 'rollout_percentage': 100}]}}" + "], 'group_type_mapping': {'0': 'company'}, 'cohorts': {}}")
        .replace('\'', '"');

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<String> flagsBody = new AtomicReference<>(
            "{\"flags\": {\"company-beta\": {\"key\": \"company-beta\", \"enabled\": true}}}");

    private ManagedPosthogClient client;

    LocalEvaluatorContractTests() {
        posthog.route("/flags", request -> Reply.ok().json(flagsBody.get()));
        posthog.route("/api/feature_flag/local_evaluation", request -> Reply.ok().json(DEFINITIONS));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private ManagedPosthogClient startLocal(UnaryOperator<PosthogClientBuilder> settings) {
        client = settings
            .apply(PosthogClient.builder("test-token")
                .host(posthog.url())
                .flushInterval(Duration.ofMillis(20))
                .personalApiKey("phx_personal")
                .localEvaluation(true)
                .flagsInitialLoadWait(Duration.ofSeconds(5)))
            .build();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().definitionsLoaded());
        return client;
    }

    private static FlagOptions local() {
        return FlagOptions.builder().onlyEvaluateLocally(true).build();
    }

    @Test
    void evaluatorReturnsTrueForAMatchingActiveBooleanFlag() {
        startLocal(b -> b);
        assertThat(client.getFeatureFlag("beta-ui", "user-123", local())).isEqualTo(true);
    }

    @Test
    void evaluatorReturnsAVariantForAMatchingMultivariateFlag() {
        startLocal(b -> b);
        assertThat(client.getFeatureFlag("checkout", "user-123", local())).isEqualTo("blue");
    }

    @Test
    void evaluatorSignalsRemoteFallbackWhenRequiredContextIsMissing() {
        startLocal(b -> b);

        assertThat(client.getFeatureFlag("company-beta", "user-123", local())).isNull(); // inconclusive
        assertThat(flagsRequests(posthog)).isEmpty();

        assertThat(client.getFeatureFlagResult("company-beta", "user-123").source()).isEqualTo(FlagSource.FALLBACK);
        assertThat(flagsRequests(posthog)).singleElement()
            .satisfies(
                    r -> assertThat(r.json().path("flag_keys_to_evaluate").get(0).asText()).isEqualTo("company-beta"));
    }

    @Test
    void evaluatorResolvesPayloadFromTheMatchedValue() {
        startLocal(b -> b);
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", local())).isEqualTo("{\"copy\":\"new\"}");
    }

    @Test
    void startsWithFoldsAsciiCaseAndIsInconclusiveWithoutTheProperty() {
        startLocal(b -> b);

        assertThat(client.getFeatureFlag("enterprise-ui", "user-123",
                FlagOptions.builder().onlyEvaluateLocally(true).personProperty("email", "Admin@Example.com").build()))
            .isEqualTo(true);
        assertThat(client.getFeatureFlag("enterprise-ui", "user-123", local())).isNull();
    }

    @Test
    void anUnrecognizedOperatorDefersOnlyThatFlag() {
        startLocal(b -> b);
        FlagOptions options = FlagOptions.builder()
            .onlyEvaluateLocally(true)
            .personProperty("plan", "enterprise")
            .build();

        assertThat(client.getFeatureFlag("future-op-flag", "user-123", options)).isNull();
        assertThat(client.getFeatureFlag("beta-ui", "user-123", options)).isEqualTo(true);
        assertThat(client.getAllFlags("user-123", options)).containsEntry("beta-ui", true)
            .doesNotContainKey("future-op-flag");
    }

    @Test
    void payloadOfAMatchValueComesFromTheLocalDefinitionWithoutEvaluating() {
        startLocal(b -> b);

        assertThat(client.getFeatureFlagPayload("checkout", "user-123", "red", FlagOptions.none()))
            .isEqualTo("{\"copy\":\"old\"}");
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", "blue", FlagOptions.none()))
            .isEqualTo("{\"copy\":\"new\"}");
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", "green", FlagOptions.none())).isNull();
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", 42, FlagOptions.none())).isNull();
        assertThat(flagsRequests(posthog)).isEmpty();
        client.flush();
        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void relativeDatesAndEventTimestampsFollowTheBuildersClock() {
        Clock newYear = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        startLocal(b -> b.clock(newYear));
        FlagOptions signedUp = FlagOptions.builder()
            .onlyEvaluateLocally(true)
            .personProperty("signed_up", "2024-12-28T12:00:00Z")
            .build();

        assertThat(client.getFeatureFlag("recent-signup", "user-123", signedUp)).isEqualTo(true);
        client.capture("user-123", "clocked");
        client.flush();

        JsonNode event = posthog.events()
            .stream()
            .filter(e -> e.path("event").asText().equals("clocked"))
            .findFirst()
            .orElseThrow();
        assertThat(Instant.parse(event.path("timestamp").asText())).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(flagCalledEvents(posthog))
            .allSatisfy(e -> assertThat(e.path("timestamp").asText()).startsWith("2025-01-01T00:00"));

        client.close();
        startLocal(b -> b.clock(Clock.fixed(Instant.parse("2025-02-01T00:00:00Z"), ZoneOffset.UTC)));
        assertThat(client.getFeatureFlag("recent-signup", "user-123", signedUp)).isEqualTo(false);
    }

}
