package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.bridge.SLF4JBridgeHandler;
import io.github.posthog4j.autoconfigure.health.PosthogHealthDetails;
import io.github.posthog4j.autoconfigure.metrics.PosthogMetricsAutoConfiguration;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Neither key ever shows: every logging path of the client (rejected and failing batches,
 * a 401 from the definitions endpoint, failing remote flags, shutdown with undelivered
 * events) runs at TRACE, and the output, health details, metric tags and every
 * {@code toString()} are searched for both keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class PosthogSecretsTests {

    private static final String PROJECT_KEY = "phc_SECRET_project_key_4711";

    private static final String PERSONAL_KEY = "phx_SECRET_personal_key_0815";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, PosthogAutoConfiguration.class,
                PosthogMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("posthog.api-key=" + PROJECT_KEY, "posthog.host=" + posthog.url(),
                "posthog.flush-interval=20ms", "posthog.retry-initial-backoff=10ms", "posthog.max-retries=1",
                "posthog.shutdown-timeout=1s", "posthog.feature-flags.local-evaluation=true",
                "posthog.feature-flags.personal-api-key=" + PERSONAL_KEY, "posthog.feature-flags.poll-interval=100ms");

    private Level previous;

    @BeforeEach
    void traceEverything() {
        // What Boot's LoggingSystem does in an application: the client logs through the
        // JDK's System.Logger,
        // bridged to SLF4J, with Logback's levels propagated to java.util.logging.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(Level.TRACE);
    }

    @AfterEach
    void tearDown() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(previous);
        context.getCopyOfListenerList()
            .stream()
            .filter(LevelChangePropagator.class::isInstance)
            .forEach(context::removeListener);
        SLF4JBridgeHandler.uninstall();
        java.util.logging.LogManager.getLogManager().reset();
        posthog.close();
    }

    @Test
    void whenEverythingFailsAtTraceLevelShouldNeverRevealEitherKey(CapturedOutput output) {
        posthog.route("/api/feature_flag/local_evaluation", (r) -> Reply.status(401).json("{\"detail\":\"bad key\"}"));
        posthog.route("/flags", (r) -> Reply.status(500));
        posthog.respondWith(400, 503, 503);
        posthog.defaultReply(Reply.status(503));
        contextRunner.run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.start();
            client.capture("u", "rejected");
            client.flush();
            client.capture("u", "exhausted", Map.of("plan", "pro"));
            client.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.flagsStatus().lastLoaderError() != null);
            client.isFeatureEnabled("beta", "u"); // inconclusive locally: remote, which
                                                  // fails
            client.capture("u", "left behind at shutdown");

            assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
            PosthogHealthDetails health = PosthogHealthDetails.of(client, true);
            assertNoKey(health.details().toString());
            assertNoKey(client.status().toString());
            assertNoKey(client.flagsStatus().toString());
            assertNoKey(client.toString());
            assertNoKey(context.getBean(PosthogProperties.class).toString());
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.getMeters()).isNotEmpty();
            for (Meter meter : registry.getMeters()) {
                assertNoKey(meter.getId().toString());
            }
        });
        // the 401 and the failures were logged, the keys were not
        assertThat(output.getAll()).contains("HTTP 400").contains("401");
        // The JDK's own HttpClient debug logger prints request URLs (the flag definitions
        // URL carries the project
        // key as PostHog's API requires) and the stand-in server logs what it receives:
        // neither is the client's.
        String ours = output.getAll()
            .lines()
            .filter((line) -> !line.contains("jdk.internal.httpclient.debug")
                    && !line.contains("com.sun.net.httpserver"))
            .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(ours).contains("io.github.posthog4j.client.PosthogClient");
        assertNoKey(ours);
        assertThat(posthog.requests())
            .anyMatch((r) -> PROJECT_KEY.equals(r.json() == null ? null : r.json().path("api_key").asText(null))); // it
                                                                                                                   // was
                                                                                                                   // really
                                                                                                                   // in
                                                                                                                   // use
    }

    private static void assertNoKey(String text) {
        assertThat(text).doesNotContain(PROJECT_KEY)
            .doesNotContain(PERSONAL_KEY)
            .doesNotContain("SECRET_project")
            .doesNotContain("SECRET_personal");
    }

}
