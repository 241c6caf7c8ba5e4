package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.flagsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.FeatureFlagEvaluations;
import io.github.posthog4j.client.FeatureFlagResult;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.FlagSource;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The flag value cache (PostHog's {@code feature-flag-cache} spec, applied to server-side
 * remote evaluation): {@code /flags} answers cached per evaluation context in an LRU with
 * a TTL; fresh answers served without a request, the last answer the fallback when
 * {@code /flags} fails; counted as the {@code cache} source.
 */
class FlagValueCacheContractTests {

    private static final String FLAGS = "{\"flags\": {" + "\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": true,"
            + " \"metadata\": {\"payload\": \"{\\\"color\\\":\\\"green\\\"}\"}},"
            + "\"checkout\": {\"key\": \"checkout\", \"enabled\": true, \"variant\": \"blue\"},"
            + "\"search\": {\"key\": \"search\", \"enabled\": false}}, \"requestId\": \"r-1\"}";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<Reply> flagsReply = new AtomicReference<>(Reply.ok().json(FLAGS));

    private ManagedPosthogClient client;

    FlagValueCacheContractTests() {
        posthog.route("/flags", request -> flagsReply.get());
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
                .flushInterval(Duration.ofMillis(20))
                .flagsMaxRetries(0)
                .flagCacheMaxSize(100))
            .build();
        return client;
    }

    @Test
    void cacheStoresFlagValuesAndPayloadsFromASuccessfulLoad() {
        start(b -> b.flagCacheTtl(Duration.ofMinutes(5)));

        client.getAllFlagsAndPayloads("user-123");
        flagsReply.set(Reply.status(503)); // anything served now comes from the cache

        assertThat(client.getFeatureFlag("beta-ui", "user-123")).isEqualTo(true);
        assertThat(client.getFeatureFlagPayload("beta-ui", "user-123")).isEqualTo("{\"color\":\"green\"}");
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void cacheServesReadsWithoutANetworkRequest() {
        start(b -> b.flagCacheTtl(Duration.ofMinutes(5)));
        assertThat(client.getFeatureFlag("beta-ui", "user-123")).isEqualTo(true);

        FeatureFlagResult again = client.getFeatureFlagResult("beta-ui", "user-123");

        assertThat(again.enabled()).isTrue();
        assertThat(again.source()).isEqualTo(FlagSource.CACHE);
        assertThat(flagsRequests(posthog)).hasSize(1);
        assertThat(client.flagsStatus().remoteEvaluations()).isEqualTo(1);
        assertThat(client.flagsStatus().cacheEvaluations()).isEqualTo(1);
    }

    @Test
    void whenTheTtlHasPassedShouldAskPosthogAgain() {
        start(b -> b.flagCacheTtl(Duration.ofMillis(200)));
        client.getFeatureFlag("beta-ui", "user-123");
        assertThat(client.getFeatureFlagResult("beta-ui", "user-123").source()).isEqualTo(FlagSource.CACHE);

        await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(client.getFeatureFlagResult("beta-ui", "user-123").source()).isEqualTo(FlagSource.REMOTE);
        assertThat(flagsRequests(posthog)).hasSize(2);
    }

    @Test
    void whenFlagsFailsShouldServeTheLastCachedValueAndSayWhy() {
        start(b -> b.flagCacheTtl(Duration.ZERO)); // fallback only: every read asks
        assertThat(client.getFeatureFlag("checkout", "user-123")).isEqualTo("blue");
        flagsReply.set(Reply.status(500));

        FeatureFlagResult fallback = client.getFeatureFlagResult("checkout", "user-123");

        assertThat(fallback.value()).isEqualTo("blue");
        assertThat(fallback.source()).isEqualTo(FlagSource.CACHE);
        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(client.flagsStatus().lastRemoteError()).startsWith("api_error_500");
        assertThat(client.getFeatureFlag("checkout", "someone-else")).isNull(); // nothing
                                                                                // cached
                                                                                // for
                                                                                // them
    }

    @Test
    void entriesAreKeptPerEvaluationContext() {
        start(b -> b.flagCacheTtl(Duration.ofMinutes(5)));
        client.getFeatureFlag("beta-ui", "user-123");

        client.getFeatureFlag("beta-ui", "user-123", FlagOptions.builder().personProperty("plan", "pro").build());
        client.getFeatureFlag("beta-ui", "user-123", FlagOptions.builder().group("company", "acme").build());
        client.getFeatureFlag("beta-ui", "user-123", FlagOptions.builder().personProperty("plan", "pro").build());

        assertThat(flagsRequests(posthog)).hasSize(3);
    }

    @Test
    void leastRecentlyUsedContextsAreEvictedAtTheSize() {
        start(b -> b.flagCacheTtl(Duration.ofMinutes(5)).flagCacheMaxSize(2));
        client.getFeatureFlag("beta-ui", "a");
        client.getFeatureFlag("beta-ui", "b");
        client.getFeatureFlag("beta-ui", "a"); // a is now the most recent
        client.getFeatureFlag("beta-ui", "c"); // evicts b
        assertThat(flagsRequests(posthog)).hasSize(3);

        client.getFeatureFlag("beta-ui", "a");
        assertThat(flagsRequests(posthog)).hasSize(3);
        client.getFeatureFlag("beta-ui", "b");
        assertThat(flagsRequests(posthog)).hasSize(4);
    }

    @Test
    void requestTimeKeysScopeEvaluatedResultsLoadedFromCache() {
        // evaluate-flags: "Request-time keys scope evaluated results loaded from cache"
        start(b -> b.flagCacheTtl(Duration.ofMinutes(5)));
        client.evaluateFlags("user-123");

        FeatureFlagEvaluations scoped = client.evaluateFlags("user-123",
                FlagOptions.builder().flagKeys(List.of("beta-ui", "checkout")).build());

        assertThat(scoped.keys()).containsExactlyInAnyOrder("beta-ui", "checkout");
        assertThat(scoped.getFlag("beta-ui")).isEqualTo(true);
        assertThat(scoped.getFlag("checkout")).isEqualTo("blue");
        assertThat(scoped.getResult("checkout").source()).isEqualTo(FlagSource.CACHE);
        assertThat(flagsRequests(posthog)).hasSize(1);
    }

    @Test
    void withoutACacheEveryReadAsks() {
        start(b -> b.flagCacheMaxSize(0));
        client.getFeatureFlag("beta-ui", "user-123");
        client.getFeatureFlag("beta-ui", "user-123");

        assertThat(flagsRequests(posthog)).hasSize(2);
        assertThat(client.flagsStatus().cacheEvaluations()).isZero();
    }

}
