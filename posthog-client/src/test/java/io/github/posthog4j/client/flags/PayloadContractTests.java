package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagCalledEvents;
import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code @both} scenarios of PostHog's {@code get-feature-flag-payload} spec, with
 * the match value of a remote evaluation.
 */
class PayloadContractTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ManagedPosthogClient client;

    PayloadContractTests() {
        posthog.route("/flags",
                request -> Reply.ok()
                    .json("{\"flags\": {\"checkout\": {\"key\": \"checkout\", \"enabled\": true, \"variant\": \"blue\","
                            + " \"metadata\": {\"payload\": \"{\\\"cta\\\":\\\"Try now\\\"}\"}}}}"));
        client = PosthogClient.builder("test-token").host(posthog.url()).flushInterval(Duration.ofMillis(20)).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        posthog.close();
    }

    @Test
    void payloadGetterReturnsPayloadForTheMatchedFlagValue() {
        assertThat(client.getFeatureFlagPayload("checkout", "user-123")).isEqualTo("{\"cta\":\"Try now\"}");
    }

    @Test
    void payloadGetterReturnsNoPayloadForUnknownFlags() {
        assertThat(client.getFeatureFlagPayload("missing-flag", "user-123")).isNull();
    }

    @Test
    void payloadLookupDoesNotEmitFeatureFlagCalledByItself() {
        client.getFeatureFlagPayload("checkout", "user-123");
        client.getFeatureFlagPayload("checkout", "user-123", "blue", FlagOptions.none());
        client.flush();

        assertThat(flagCalledEvents(posthog)).isEmpty();
    }

    @Test
    void aRemoteMatchValueReturnsThePayloadOnlyWhenPosthogMatchedThatValue() {
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", "blue", FlagOptions.none()))
            .isEqualTo("{\"cta\":\"Try now\"}");
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", "red", FlagOptions.none())).isNull();
        assertThat(client.getFeatureFlagPayload("checkout", "user-123", null, FlagOptions.none()))
            .isEqualTo("{\"cta\":\"Try now\"}");
        assertThat(flagsRequests(posthog)).hasSize(3);
    }

}
