package io.github.posthog4j.autoconfigure.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.metrics.PosthogMetricsAutoConfiguration;
import io.github.posthog4j.autoconfigure.openfeature.PosthogOpenFeatureAutoConfiguration;
import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.FlagDefinitionsData;
import io.github.posthog4j.client.FlagOptions;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.openfeature.PosthogProvider;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The feature flag wiring of the auto-configuration: a
 * {@link FlagDefinitionCacheProvider} bean applied to the client, the Redis one
 * auto-configured (only with local evaluation, Spring Data Redis and a connection
 * factory), the {@code cache} source of {@code posthog.flags.evaluations}, the new
 * {@code posthog.feature-flags.*} properties, and the OpenFeature provider registered
 * with the OpenFeature API.
 */
class PosthogFlagsAutoConfigurationTests {

    private static final String DEFINITIONS = ("{'flags': [{'id': 1, 'key': 'beta-ui', 'active': true, 'filters':"
            + " {'groups': [{'properties': [], 'rollout_percentage': 100}]}}], 'group_type_mapping': {},"
            + " 'cohorts': {}}")
        .replace('\'', '"');

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(DataRedisAutoConfiguration.class, PosthogRedisFlagsAutoConfiguration.class,
                        PosthogAutoConfiguration.class, MetricsAutoConfiguration.class,
                        PosthogMetricsAutoConfiguration.class, PosthogOpenFeatureAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("posthog.api-key=phc_flags", "posthog.host=" + posthog.url(), "posthog.flush-interval=20ms",
                "posthog.feature-flags.personal-api-key=phx_flags", "posthog.feature-flags.poll-interval=300ms",
                "spring.data.redis.timeout=500ms");

    PosthogFlagsAutoConfigurationTests() {
        posthog.route("/api/feature_flag/local_evaluation", request -> Reply.ok().json(DEFINITIONS));
        posthog.route("/flags",
                request -> Reply.ok().json("{\"flags\": {\"beta-ui\": {\"key\": \"beta-ui\", \"enabled\": true}}}"));
    }

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    private String redisPort() {
        return "spring.data.redis.port=" + redis.start().port();
    }

    @Test
    void withRedisAndLocalEvaluationTheRedisProviderSharesTheDefinitions() {
        contextRunner.withPropertyValues("posthog.feature-flags.local-evaluation=true", redisPort()).run((context) -> {
            assertThat(context).hasSingleBean(RedisFlagDefinitionCache.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.start();
            RedisFlagDefinitionCache cache = context.getBean(RedisFlagDefinitionCache.class);
            StringRedisTemplate template = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
            template.afterPropertiesSet();
            await().atMost(Duration.ofSeconds(10))
                .until(() -> cache.owner().equals(template.opsForValue().get(cache.leaseKey())));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.read() != null);
            assertThat(cache.read().json()).contains("beta-ui");
            assertThat(cache.leaseKey()).startsWith("posthog:flags:").doesNotContain("phc_flags");
        });
    }

    @Test
    void withoutLocalEvaluationThereIsNoRedisProvider() {
        contextRunner.withPropertyValues(redisPort())
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisFlagDefinitionCache.class));
    }

    @Test
    void theRedisProviderCanBeTurnedOff() {
        contextRunner
            .withPropertyValues("posthog.feature-flags.local-evaluation=true",
                    "posthog.feature-flags.redis.enabled=false", redisPort())
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisFlagDefinitionCache.class));
    }

    @Test
    void withoutSpringDataRedisTheStarterStillWorks() {
        contextRunner.withPropertyValues("posthog.feature-flags.local-evaluation=true")
            .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(FlagDefinitionCacheProvider.class);
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                client.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> client.flagsStatus().definitionsLoaded());
            });
    }

    @Test
    void anApplicationProviderBeanIsAppliedToTheClient() {
        CountingProvider provider = new CountingProvider();
        contextRunner.withPropertyValues("posthog.feature-flags.local-evaluation=true", redisPort())
            .withBean(FlagDefinitionCacheProvider.class, () -> provider)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RedisFlagDefinitionCache.class);
                context.getBean(ManagedPosthogClient.class).start();
                await().atMost(Duration.ofSeconds(10)).until(() -> provider.stored.get() > 0);
                assertThat(provider.decisions.get()).isPositive();
            });
    }

    @Test
    void flagPropertiesReachTheClientAndTheCacheSourceIsAMeter() {
        contextRunner
            .withPropertyValues("posthog.feature-flags.cache-max-size=10", "posthog.feature-flags.cache-ttl=1m",
                    "posthog.feature-flags.max-retries=0")
            .run((context) -> {
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                client.getFeatureFlag("beta-ui", "u1");
                client.getFeatureFlag("beta-ui", "u1");
                assertThat(registry.get("posthog.flags.evaluations").tag("source", "cache").functionCounter().count())
                    .isEqualTo(1.0);
                assertThat(registry.get("posthog.flags.evaluations").tag("source", "remote").functionCounter().count())
                    .isEqualTo(1.0);
            });
    }

    @Test
    void theOpenFeatureProviderIsRegisteredWithTheApiAndTakenBackOnClose() {
        contextRunner.run((context) -> {
            PosthogProvider provider = context.getBean(PosthogProvider.class);
            assertThat(OpenFeatureAPI.getInstance().getProvider()).isSameAs(provider);
            Client client = OpenFeatureAPI.getInstance().getClient();
            assertThat(client.getBooleanValue("beta-ui", false, new dev.openfeature.sdk.ImmutableContext("u1")))
                .isTrue();
        });
        assertThat(OpenFeatureAPI.getInstance().getProvider()).isInstanceOf(NoOpProvider.class);
    }

    @Test
    void theOpenFeatureRegistrationCanBeTurnedOff() {
        contextRunner.withPropertyValues("posthog.openfeature.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(PosthogProvider.class));
        contextRunner.withClassLoader(new FilteredClassLoader("dev.openfeature"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PosthogProvider.class));
    }

    /** An application's provider that always fetches. */
    static final class CountingProvider implements FlagDefinitionCacheProvider {

        final AtomicInteger decisions = new AtomicInteger();

        final AtomicInteger stored = new AtomicInteger();

        @Override
        public boolean shouldFetch() {
            decisions.incrementAndGet();
            return true;
        }

        @Override
        public @Nullable FlagDefinitionsData read() {
            return null;
        }

        @Override
        public void store(FlagDefinitionsData definitions) {
            stored.incrementAndGet();
        }

    }

}
