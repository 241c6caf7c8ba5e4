package io.github.posthog4j.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import io.github.posthog4j.autoconfigure.PosthogProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code posthog} actuator endpoint against a real client and a loopback PostHog:
 * what it reads (engine, queue, spool, flags, settings without secrets), its
 * {@code flush} operation, and when it exists. Exposure over HTTP on every supported Boot
 * line is tested by the sample app.
 */
class PosthogEndpointTests {

    private static final String PROJECT_KEY = "phc_endpoint_SECRET_1234";

    private static final String PERSONAL_KEY = "phx_endpoint_SECRET_5678";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogEndpointAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=" + PROJECT_KEY, "posthog.host=" + posthog.url(),
                "posthog.flush-interval=1h", "posthog.feature-flags.personal-api-key=" + PERSONAL_KEY,
                "posthog.super-properties.app=shop", "posthog.super-properties.partner-token=tok_SECRET");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenReadShouldDescribeEngineQueueFlagsAndSettingsWithoutSecrets() {
        contextRunner.run((context) -> {
            PosthogEndpoint endpoint = endpoint(context);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.capture("u1", "order placed");
            client.capture("u1", "order shipped");

            Map<String, Object> body = endpoint.posthog();
            assertThat(body).containsOnlyKeys("engine", "queue", "spool", "featureFlags", "settings");
            Map<String, Object> engine = (Map<String, Object>) body.get("engine");
            assertThat(engine).containsEntry("state", "starting")
                .containsEntry("running", false)
                .containsEntry("consumersActive", 0);
            Map<String, Object> queue = (Map<String, Object>) body.get("queue");
            assertThat(queue).containsEntry("size", 2).containsEntry("capacity", 10_000).containsEntry("captured", 2L);
            assertThat((Map<String, Object>) queue.get("dropped")).containsEntry("total", 0L)
                .containsEntry("queue_full", 0L);
            assertThat((Map<String, Object>) body.get("spool")).containsExactly(Map.entry("enabled", false));
            Map<String, Object> flags = (Map<String, Object>) body.get("featureFlags");
            assertThat(flags).containsEntry("localEvaluation", false).containsKey("evaluations");
            assertThat((Map<String, Object>) flags.get("definitions")).containsEntry("count", 0)
                .containsEntry("loaded", false);

            Map<String, Object> settings = (Map<String, Object>) body.get("settings");
            assertThat(settings).containsEntry("api-key", SettingsDescription.MASK)
                .containsEntry("host", posthog.url())
                .containsEntry("flush-interval", "PT1H")
                .containsEntry("max-queue-size", 10_000)
                .containsEntry("max-batch-bytes", 5L * 1024 * 1024 + "B");
            assertThat((Map<String, Object>) settings.get("feature-flags"))
                .containsEntry("personal-api-key", SettingsDescription.MASK)
                .containsEntry("poll-interval", "PT30S");
            assertThat((Map<String, Object>) settings.get("super-properties")).containsEntry("app", "shop")
                .containsEntry("partner-token", SettingsDescription.MASK);
            assertThat(body.toString()).doesNotContain("SECRET");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenDefinitionsAreLoadedShouldShowTheirCountAgeAndEtag() {
        posthog.route("/api/feature_flag/local_evaluation",
                (request) -> PosthogStandIn.Reply.ok()
                    .json("{\"flags\":[{\"key\":\"beta\",\"active\":true,\"filters\":{\"groups\":"
                            + "[{\"properties\":[],\"rollout_percentage\":100}]}}],\"group_type_mapping\":{}}")
                    .header("ETag", "\"defs-v7\""));
        contextRunner.withPropertyValues("posthog.feature-flags.local-evaluation=true").run((context) -> {
            PosthogEndpoint endpoint = endpoint(context);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.start();
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> client.flagsStatus().definitionsLoaded());
            Map<String, Object> flags = (Map<String, Object>) endpoint.posthog().get("featureFlags");
            assertThat((Map<String, Object>) flags.get("definitions")).containsEntry("loaded", true)
                .containsEntry("count", 1)
                .containsEntry("etag", "\"defs-v7\"")
                .containsKey("ageSeconds");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenFlushWrittenShouldSendWhatIsQueuedAndReportIt() {
        contextRunner.run((context) -> {
            PosthogEndpoint endpoint = endpoint(context);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.start();
            for (int i = 0; i < 5; i++) {
                client.capture("u" + i, "flushed by the endpoint");
            }
            Map<String, Object> result = endpoint.flush();
            assertThat(result).containsEntry("sent", 5).containsEntry("queueSize", 0).containsKey("durationMillis");
            assertThat(posthog.eventCount()).isEqualTo(5);
            Map<String, Object> engine = (Map<String, Object>) endpoint.posthog().get("engine");
            assertThat(engine).containsEntry("state", "up").containsEntry("running", true);
            assertThat(engine.get("lastSuccessfulSend")).isNotNull();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenPosthogFailsShouldShowTheLastErrorAndTheRetryingEngine() {
        posthog.defaultReply(PosthogStandIn.Reply.status(503));
        contextRunner
            .withPropertyValues("posthog.max-retries=0", "posthog.retry-initial-backoff=10ms",
                    "posthog.retry-max-backoff=50ms")
            .run((context) -> {
                PosthogEndpoint endpoint = endpoint(context);
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                client.capture("u1", "not delivered while PostHog is down");
                assertThat(endpoint.flush()).containsEntry("sent", 0);
                Map<String, Object> body = endpoint.posthog();
                Map<String, Object> queue = (Map<String, Object>) body.get("queue");
                long dropped = (long) ((Map<String, Object>) queue.get("dropped")).get("total");
                assertThat((int) queue.get("size") + dropped).as("still queued, or counted as dropped").isEqualTo(1);
                Map<String, Object> engine = (Map<String, Object>) body.get("engine");
                assertThat((String) engine.get("lastError")).contains("503");
                assertThat((int) engine.get("consecutiveFailures")).isPositive();
                assertThat(engine.toString()).doesNotContain("SECRET");
            });
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenSpoolEnabledShouldCountItsSegmentsAndBytesOnDisk(@TempDir Path spool) {
        contextRunner
            .withPropertyValues("posthog.spool.enabled=true", "posthog.spool.directory=" + spool,
                    "posthog.spool.sync-interval=10ms")
            .run((context) -> {
                PosthogEndpoint endpoint = endpoint(context);
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                posthog.defaultReply(PosthogStandIn.Reply.status(503));
                client.start();
                for (int i = 0; i < 20; i++) {
                    client.capture("u" + i, "spooled");
                }
                org.awaitility.Awaitility.await().until(() -> {
                    Map<String, Object> s = (Map<String, Object>) endpoint.posthog().get("spool");
                    return ((long) s.get("bytes")) > 0;
                });
                Map<String, Object> s = (Map<String, Object>) endpoint.posthog().get("spool");
                assertThat(s).containsEntry("enabled", true)
                    .containsEntry("directory", spool.toString())
                    .containsEntry("maxBytes", 256L * 1024 * 1024);
                assertThat((int) s.get("segments")).isPositive();
                long onDisk;
                try (var files = Files.list(spool)) {
                    onDisk = files.filter((f) -> f.getFileName().toString().startsWith("segment-"))
                        .mapToLong((f) -> f.toFile().length())
                        .sum();
                }
                assertThat((long) s.get("bytes")).isPositive().isLessThanOrEqualTo(onDisk);
            });
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenHostCarriesCredentialsShouldShowItWithoutThem() {
        contextRunner.withPropertyValues("posthog.host=https://proxyuser:SECRET@proxy.example.com:8443/ingest")
            .run((context) -> {
                Map<String, Object> settings = (Map<String, Object>) endpoint(context).posthog().get("settings");
                assertThat(settings).containsEntry("host", "https://proxy.example.com:8443/ingest");
            });
    }

    private static PosthogEndpoint endpoint(ApplicationContext context) {
        return new PosthogEndpoint(context.getBean(ManagedPosthogClient.class),
                () -> Binder.get(context.getEnvironment())
                    .bindOrCreate("posthog", Bindable.of(PosthogProperties.class)));
    }

}
