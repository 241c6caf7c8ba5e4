package io.github.posthog4j.client.flags;

import static io.github.posthog4j.client.flags.FlagsFixtures.definitionsRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.FlagDefinitionsData;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostHog's {@code flag-definition-loader} spec (acceptance/private/
 * flag-definition-loader.feature, and the archived change
 * {@code standardize-flag-definition-cache-providers}): the loader, and the external
 * definitions cache provider with every failure contained.
 */
@ExtendWith(LogCapture.class)
class DefinitionCacheProviderContractTests {

    static final String BETA_UI = ("{'flags': [{'id': 1, 'key': 'beta-ui', 'active': true, 'filters': {'groups':"
            + " [{'properties': [], 'rollout_percentage': 100}]}}], 'group_type_mapping': {'0': 'company'},"
            + " 'cohorts': {'7': {'type': 'AND', 'values': []}}}")
        .replace('\'', '"');

    static final String OTHER = ("{'flags': [{'id': 2, 'key': 'other', 'active': true, 'filters': {'groups':"
            + " [{'properties': [], 'rollout_percentage': 100}]}}], 'group_type_mapping': {}, 'cohorts': {}}")
        .replace('\'', '"');

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final AtomicReference<Reply> definitionsReply = new AtomicReference<>(Reply.ok().json(BETA_UI));

    private ManagedPosthogClient client;

    DefinitionCacheProviderContractTests() {
        posthog.route("/api/feature_flag/local_evaluation", request -> definitionsReply.get());
        posthog.route("/flags", request -> Reply.ok().json("{\"flags\": {}}"));
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    /** A scripted provider that records its calls. */
    static class ScriptedProvider implements FlagDefinitionCacheProvider {

        volatile boolean fetch = true;

        volatile @Nullable FlagDefinitionsData cached;

        volatile @Nullable RuntimeException failShouldFetch;

        volatile @Nullable RuntimeException failRead;

        volatile @Nullable RuntimeException failShutdown;

        volatile Duration shouldFetchDelay = Duration.ZERO;

        final AtomicInteger shouldFetchCalls = new AtomicInteger();

        final AtomicInteger reads = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        final List<FlagDefinitionsData> stored = new CopyOnWriteArrayList<>();

        @Override
        public boolean shouldFetch() throws Exception {
            shouldFetchCalls.incrementAndGet();
            if (!shouldFetchDelay.isZero()) {
                Thread.sleep(shouldFetchDelay.toMillis());
            }
            if (failShouldFetch != null) {
                throw failShouldFetch;
            }
            return fetch;
        }

        @Override
        public @Nullable FlagDefinitionsData read() {
            reads.incrementAndGet();
            if (failRead != null) {
                throw failRead;
            }
            return cached;
        }

        @Override
        public void store(FlagDefinitionsData definitions) {
            stored.add(definitions);
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
            if (failShutdown != null) {
                throw failShutdown;
            }
        }

    }

    private ManagedPosthogClient start(UnaryOperator<PosthogClientBuilder> settings) {
        client = settings
            .apply(PosthogClient.builder("test-token")
                .host(posthog.url())
                .personalApiKey("phx_personal")
                .localEvaluation(true)
                .flagsRequestTimeout(Duration.ofMillis(500)))
            .build();
        return client;
    }

    private boolean betaUiLocally() {
        return Boolean.TRUE
            .equals(client.getFeatureFlag("beta-ui", "u1", FlagOptions.builder().onlyEvaluateLocally(true).build()));
    }

    @Test
    void loaderFetchesAndCachesLocalEvaluationDefinitions() {
        start(b -> b.flagsInitialLoadWait(Duration.ofSeconds(5)));

        assertThat(betaUiLocally()).isTrue();
        assertThat(client.flagsStatus().definitionsLoaded()).isTrue();
        assertThat(client.flagsStatus().definitionsAge()).isLessThan(Duration.ofSeconds(30));
        assertThat(client.flagsStatus().lastLoaderError()).isNull();
    }

    @Test
    void loaderKeepsStaleDefinitionsWhenRefreshFails(CapturedLog log) {
        start(b -> b.flagsPollInterval(Duration.ofMillis(100)).flagsInitialLoadWait(Duration.ofSeconds(5)));
        definitionsReply.set(Reply.status(503));

        await().atMost(Duration.ofSeconds(5)).until(() -> client.flagsStatus().lastLoaderError() != null);

        assertThat(betaUiLocally()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("keeping the last good definitions"));
    }

    @Test
    void loaderRefreshesAfterThePollingInterval() {
        start(b -> b.flagsPollInterval(Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(5)).until(() -> definitionsRequests(posthog).size() >= 3);
    }

    @Test
    void syncProviderResultsAreUsedWithoutAnyDirectRequest() {
        ScriptedProvider provider = new ScriptedProvider();
        provider.fetch = false;
        provider.cached = FlagDefinitionsData.of(BETA_UI, null, Instant.now());
        start(b -> b.flagDefinitionCacheProvider(provider).flagsInitialLoadWait(Duration.ofSeconds(5)));

        assertThat(betaUiLocally()).isTrue();
        assertThat(definitionsRequests(posthog)).isEmpty();
        assertThat(provider.reads.get()).isPositive();
    }

    @Test
    void loaderStoresDefinitionsAfterThisInstanceFetches() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        start(b -> b.flagDefinitionCacheProvider(provider).flagsInitialLoadWait(Duration.ofSeconds(5)));

        assertThat(betaUiLocally()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !provider.stored.isEmpty());
        JsonNode data = new ObjectMapper().readTree(provider.stored.get(0).json());
        assertThat(data.path("flags").get(0).path("key").asText()).isEqualTo("beta-ui");
        assertThat(data.path("group_type_mapping").path("0").asText()).isEqualTo("company");
        assertThat(data.path("cohorts").has("7")).isTrue();
        assertThat(definitionsRequests(posthog)).hasSize(1);
    }

    @Test
    void providerReadFailuresPreserveLoadedDefinitions(CapturedLog log) {
        ScriptedProvider provider = new ScriptedProvider();
        start(b -> b.flagDefinitionCacheProvider(provider)
            .flagsPollInterval(Duration.ofMillis(300))
            .flagsInitialLoadWait(Duration.ofSeconds(5)));
        assertThat(betaUiLocally()).isTrue();

        provider.fetch = false;
        provider.failRead = new IllegalStateException("cache unreachable");
        int before = provider.reads.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.reads.get() > before + 2);

        assertThat(betaUiLocally()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("read failed"));
        assertThat(log.getAll()).contains("cache unreachable");
        assertThat(countOf(log.getAll(), "definitions cache provider read failed")).isEqualTo(1);
    }

    @Test
    void providerFetchDecisionFailuresFailSafeToDirectFetch(CapturedLog log) {
        ScriptedProvider provider = new ScriptedProvider();
        provider.failShouldFetch = new IllegalStateException("lease store down");
        start(b -> b.flagDefinitionCacheProvider(provider).flagsInitialLoadWait(Duration.ofSeconds(5)));

        assertThat(definitionsRequests(posthog)).hasSize(1);
        assertThat(betaUiLocally()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("lease store down"));
    }

    @Test
    void aProviderThatHangsIsBoundedLikeAFailure(CapturedLog log) {
        ScriptedProvider provider = new ScriptedProvider();
        provider.fetch = false;
        provider.shouldFetchDelay = Duration.ofSeconds(10);
        start(b -> b.flagDefinitionCacheProvider(provider).flagsInitialLoadWait(Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(5)).until(this::betaUiLocally);
        assertThat(definitionsRequests(posthog)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("no answer within"));
    }

    @Test
    void malformedCacheDataKeepsTheDefinitionsInUse(CapturedLog log) {
        ScriptedProvider provider = new ScriptedProvider();
        start(b -> b.flagDefinitionCacheProvider(provider)
            .flagsPollInterval(Duration.ofMillis(300))
            .flagsInitialLoadWait(Duration.ofSeconds(5)));
        assertThat(betaUiLocally()).isTrue();

        provider.fetch = false;
        provider.cached = FlagDefinitionsData.of("[not an object", null, Instant.now());
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("malformed definitions"));

        assertThat(betaUiLocally()).isTrue();
    }

    @Test
    void definitionsReadFromTheProviderReplaceOnlyWhenTheyChange() {
        ScriptedProvider provider = new ScriptedProvider();
        provider.fetch = false;
        provider.cached = FlagDefinitionsData.of(BETA_UI, null, Instant.now());
        start(b -> b.flagDefinitionCacheProvider(provider)
            .flagsPollInterval(Duration.ofMillis(300))
            .flagsInitialLoadWait(Duration.ofSeconds(5)));
        assertThat(betaUiLocally()).isTrue();

        provider.cached = FlagDefinitionsData.of(OTHER, null, Instant.now());

        await().atMost(Duration.ofSeconds(5))
            .until(() -> Boolean.TRUE
                .equals(client.getFeatureFlag("other", "u1", FlagOptions.builder().onlyEvaluateLocally(true).build())));
        assertThat(definitionsRequests(posthog)).isEmpty();
    }

    @Test
    void withAProviderPosthogIsAskedAtMostOncePerInterval() {
        ScriptedProvider provider = new ScriptedProvider(); // always says fetch
        start(b -> b.flagDefinitionCacheProvider(provider).flagsPollInterval(Duration.ofMillis(300)));

        await().atMost(Duration.ofSeconds(10)).until(() -> provider.shouldFetchCalls.get() >= 15);

        int consulted = provider.shouldFetchCalls.get();
        int fetched = definitionsRequests(posthog).size();
        assertThat(fetched).isBetween(2, consulted / 3 + 2);
    }

    @Test
    void providerShutdownIsInvokedAndIsolatedFromClientShutdown(CapturedLog log) {
        ScriptedProvider provider = new ScriptedProvider();
        provider.failShutdown = new IllegalStateException("lease release failed");
        start(b -> b.flagDefinitionCacheProvider(provider));

        assertThatCode(client::close).doesNotThrowAnyException();

        assertThat(provider.shutdowns.get()).isEqualTo(1);
        assertThat(client.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("shutdown failed"));
        assertThat(log.getAll()).contains("lease release failed");
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

}
