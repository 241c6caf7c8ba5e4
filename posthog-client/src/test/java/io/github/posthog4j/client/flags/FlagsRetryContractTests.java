package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The feature flag retry policy of PostHog's {@code http-client} spec (the {@code @both}
 * scenarios of acceptance/private/http-client.feature): transport failures, 502 and 504
 * are retried up to {@code flagsMaxRetries} (default 1) after 300 ms, then 600 ms; every
 * other status is not.
 */
class FlagsRetryContractTests {

    private static final String BETA_ON = "{\"flags\": {\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": true}}}";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    /** Replies for the next /flags requests; when empty, beta-ui on. */
    private final ConcurrentLinkedQueue<Reply> next = new ConcurrentLinkedQueue<>();

    private ManagedPosthogClient client;

    FlagsRetryContractTests() {
        posthog.route("/flags", request -> {
            Reply r = next.poll();
            return (r != null) ? r : Reply.ok().json(BETA_ON);
        });
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private ManagedPosthogClient start(UnaryOperator<PosthogClientBuilder> settings) {
        client = settings
            .apply(PosthogClient.builder("test-token")
                .host(posthog.url())
                .flagsRequestTimeout(Duration.ofMillis(250))
                .sendFeatureFlagEvents(false))
            .build();
        return client;
    }

    /** A transport timeout: no answer within the flags request timeout. */
    private static Reply timeout() {
        return Reply.ok().json(BETA_ON).delayed(Duration.ofMillis(1500));
    }

    private long gapMillis(int from, int to) {
        List<PosthogStandIn.Request> requests = flagsRequests(posthog);
        return (requests.get(to).receivedNanos() - requests.get(from).receivedNanos()) / 1_000_000;
    }

    @Test
    void flagsRequestRetriesOneTransientTransportFailureByDefault() {
        next.add(timeout());
        start(b -> b);

        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isTrue();

        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest
    @ValueSource(ints = { 502, 504 })
    void flagsRequestRetriesTransientGatewayStatusErrorsByDefault(int status) {
        next.add(Reply.status(status));
        start(b -> b);

        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isTrue();

        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 429, 500, 503 })
    void flagsRequestDoesNotRetryNonTransientStatusErrors(int status) {
        start(b -> b.flagCacheMaxSize(100).flagCacheTtl(Duration.ZERO));
        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isTrue(); // cached
        next.add(Reply.status(status));

        // the call does not throw, and the cached value is still what the client knows
        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isTrue();

        assertThat(flagsRequests(posthog)).hasSize(2); // one each, no retry
        assertThat(client.flagsStatus().lastRemoteError()).contains("api_error_" + status);
    }

    @Test
    void zeroConfiguredFlagRetriesDisablesRetry() {
        next.add(timeout());
        start(b -> b.flagsMaxRetries(0));

        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isFalse();

        assertThat(flagsRequests(posthog)).hasSize(1);
        assertThat(client.flagsStatus().lastRemoteError()).startsWith("timeout");
    }

    @Test
    void configuredFlagRetriesUse300msExponentialBackoff() {
        next.add(Reply.status(0)); // the connection drops before any response
        next.add(Reply.status(0));
        start(b -> b.flagsMaxRetries(2));

        assertThat(client.isFeatureEnabled("beta-ui", "user-123")).isTrue();

        assertThat(flagsRequests(posthog)).hasSize(3);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(300);
        assertThat(gapMillis(1, 2)).isGreaterThanOrEqualTo(600);
    }

    @Test
    void retriesResendTheSameBody() {
        next.add(Reply.status(502));
        next.add(Reply.status(504));
        start(b -> b.flagsMaxRetries(2));

        client.getFeatureFlag("beta-ui", "user-123");

        List<PosthogStandIn.Request> requests = flagsRequests(posthog);
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> new String(r.body())).containsOnly(new String(requests.get(0).body()));
    }

    @Test
    void retryCountIsBounded() {
        assertThatThrownBy(() -> PosthogClient.builder("test-token").flagsMaxRetries(11).buildStopped())
            .isInstanceOf(PosthogConfigurationException.class)
            .hasMessageContaining("flagsMaxRetries");
        assertThatThrownBy(() -> PosthogClient.builder("test-token").flagsMaxRetries(-1).buildStopped())
            .isInstanceOf(PosthogConfigurationException.class);
    }

}
