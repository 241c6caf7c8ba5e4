package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code posthog.spool.*} and {@code posthog.feature-flags.*} reach the client, and fail
 * startup clearly.
 */
class PosthogSpoolAndFlagsPropertiesTests {

    private static final String DEFINITIONS = ("{'flags': [{'id': 1, 'key': 'beta', 'active': true, 'filters':"
            + " {'groups': [{'properties': [], 'rollout_percentage': 100}]}}], 'group_type_mapping': {},"
            + " 'cohorts': {}}")
        .replace('\'', '"');

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_props", "posthog.host=" + posthog.url(), "posthog.flush-interval=50ms",
                "posthog.retry-initial-backoff=10ms", "posthog.max-retries=1", "posthog.shutdown-timeout=1s");

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenSpoolEnabledAndPosthogDownShouldKeepEventsForTheNextContext() {
        posthog.defaultReply(Reply.status(503));
        String spool = "posthog.spool.directory=" + dir.resolve("spool");
        contextRunner.withPropertyValues("posthog.spool.enabled=true", spool).run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            for (int i = 0; i < 25; i++) {
                client.capture("u", "kept " + i);
            }
        }); // closed while PostHog answers 503: the events stay in the spool
        assertThat(posthog.eventCount()).isZero();

        posthog.defaultReply(Reply.ok());
        contextRunner.withPropertyValues("posthog.spool.enabled=true", spool).run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            assertThat(client.status().queueSize()).isEqualTo(25);
            client.flush();
        });
        assertThat(posthog.uuidCounts()).hasSize(25);
    }

    @Test
    void whenSpoolEnabledWithoutDirectoryShouldFailNamingTheProperty() {
        contextRunner.withPropertyValues("posthog.spool.enabled=true").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidPosthogPropertyException.class);
            InvalidPosthogPropertyException ex = rootCause(context.getStartupFailure());
            assertThat(ex.getProperty()).isEqualTo("posthog.spool.directory");
        });
    }

    @Test
    void whenSpoolDirectoryIsLockedShouldFailNamingTheProperty() {
        Path spool = dir.resolve("locked");
        try (DiskSpool held = DiskSpool.open(spool, 1024 * 1024, 64 * 1024)) {
            contextRunner.withPropertyValues("posthog.spool.enabled=true", "posthog.spool.directory=" + spool)
                .run((context) -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    InvalidPosthogPropertyException ex = findCause(failure);
                    assertThat(ex.getProperty()).isEqualTo("posthog.spool.directory");
                    assertThat(ex.getMessage()).contains("in use by another process");
                });
        }
    }

    @Test
    void whenLocalEvaluationWithoutPersonalKeyShouldFailNamingTheProperty() {
        contextRunner.withPropertyValues("posthog.feature-flags.local-evaluation=true").run((context) -> {
            assertThat(context).hasFailed();
            InvalidPosthogPropertyException ex = findCause(context.getStartupFailure());
            assertThat(ex.getProperty()).isEqualTo("posthog.feature-flags.personal-api-key");
        });
    }

    @Test
    void whenLocalEvaluationConfiguredShouldPollWithThePersonalKeyAndEvaluateLocally() {
        posthog.route("/api/feature_flag/local_evaluation", (request) -> Reply.ok().json(DEFINITIONS));
        contextRunner
            .withPropertyValues("posthog.feature-flags.local-evaluation=true",
                    "posthog.feature-flags.personal-api-key=phx_personal", "posthog.feature-flags.poll-interval=1s",
                    "posthog.feature-flags.send-feature-flag-events=false")
            .run((context) -> {
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                client.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> client.flagsStatus().definitionsLoaded());
                assertThat(client.isFeatureEnabled("beta", "user-1")).isTrue();
                assertThat(client.flagsStatus().localEvaluations()).isEqualTo(1);
                PosthogStandIn.Request definitions = posthog.requests()
                    .stream()
                    .filter((r) -> r.path().startsWith("/api/feature_flag/local_evaluation"))
                    .findFirst()
                    .orElseThrow();
                assertThat(definitions.headers()).containsEntry("authorization", "Bearer phx_personal");
                assertThat(posthog.requests()).noneMatch((r) -> r.path().startsWith("/flags"));
            });
    }

    @Test
    void whenRemoteFlagsConfiguredShouldUseTheFlagsTimeout() {
        posthog.route("/flags", (request) -> Reply.ok().json("{\"flags\": {}}").delayed(Duration.ofSeconds(2)));
        contextRunner.withPropertyValues("posthog.feature-flags.request-timeout=200ms").run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            long start = System.nanoTime();
            assertThat(client.isFeatureEnabled("anything", "user-1", true)).isTrue(); // the
                                                                                      // caller's
                                                                                      // default
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
            assertThat(client.flagsStatus().failedEvaluations()).isEqualTo(1);
            assertThat(Map.of("ok", true)).isNotEmpty();
        });
    }

    private static InvalidPosthogPropertyException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidPosthogPropertyException ex) {
                return ex;
            }
        }
        throw new AssertionError("no InvalidPosthogPropertyException in " + failure, failure);
    }

    private static InvalidPosthogPropertyException rootCause(Throwable failure) {
        return findCause(failure);
    }

}
