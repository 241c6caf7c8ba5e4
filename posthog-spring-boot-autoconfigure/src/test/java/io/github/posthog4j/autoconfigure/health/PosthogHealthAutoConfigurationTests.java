package io.github.posthog4j.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code posthog} health component on Boot 4 and on Boot 3 APIs, and its rules. */
class PosthogHealthAutoConfigurationTests {

    private static final String BOOT3_HEALTH = "org.springframework.boot.actuate.health";

    private static final String BOOT4_HEALTH = "org.springframework.boot.health.contributor";

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogHealthAutoConfiguration.class,
                PosthogBoot3HealthAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_health_key", "posthog.host=" + posthog.url(),
                "posthog.flush-interval=20ms", "posthog.max-retries=0", "posthog.retry-initial-backoff=20ms",
                "posthog.retry-max-backoff=200ms", "posthog.probe-interval=40ms", "posthog.max-probe-interval=200ms");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenBoot4HealthPresentShouldRegisterBoot4IndicatorWithDetails() {
        contextRunner.withClassLoader(new FilteredClassLoader(BOOT3_HEALTH)).run((context) -> {
            assertThat(context).hasSingleBean(PosthogHealthIndicator.class)
                .doesNotHaveBean(PosthogBoot3HealthIndicator.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            client.start();
            client.capture("u", "e");
            client.flush();
            Health health = context.getBean(PosthogHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "up")
                .containsEntry("sent", 1L)
                .containsEntry("queueSize", 0)
                .containsEntry("queueCapacity", 1_000_000)
                .containsEntry("running", true)
                .containsKey("lastSuccessfulSend");
            assertThat(health.getDetails().toString()).doesNotContain("phc_health_key");
        });
    }

    @Test
    void whenOnlyBoot3HealthPresentShouldRegisterBoot3Indicator() {
        contextRunner.withClassLoader(new FilteredClassLoader(BOOT4_HEALTH)).run((context) -> {
            assertThat(context).hasSingleBean(PosthogBoot3HealthIndicator.class)
                .doesNotHaveBean(PosthogHealthIndicator.class);
            org.springframework.boot.actuate.health.Health health = context.getBean(PosthogBoot3HealthIndicator.class)
                .health();
            assertThat(health.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "starting").containsEntry("running", false);
        });
    }

    @Test
    void whenNoHealthApiPresentShouldRegisterNoIndicator() {
        contextRunner.withClassLoader(new FilteredClassLoader(BOOT3_HEALTH, BOOT4_HEALTH)).run((context) -> {
            assertThat(context).hasNotFailed()
                .hasSingleBean(ManagedPosthogClient.class)
                .doesNotHaveBean("posthogHealthIndicator");
        });
    }

    @Test
    void whenHealthDisabledByPropertyShouldRegisterNoIndicator() {
        contextRunner.withPropertyValues("management.health.posthog.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("posthogHealthIndicator"));
    }

    @Test
    void whenPosthogDisabledShouldRegisterNoIndicator() {
        contextRunner.withPropertyValues("posthog.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("posthogHealthIndicator"));
    }

    @Test
    void whenPosthogUnreachableShouldStayUpByDefaultAndShowDegradedDetails() {
        contextRunner.withClassLoader(new FilteredClassLoader(BOOT3_HEALTH)).run((context) -> {
            Health health = unreachable(context.getBean(ManagedPosthogClient.class),
                    context.getBean(PosthogHealthIndicator.class));
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "unreachable").containsKey("lastError");
            assertThat((int) health.getDetails().get("consecutiveFailures")).isPositive();
        });
    }

    @Test
    void whenDownWhenUnreachableSetShouldReportDown() {
        contextRunner.withClassLoader(new FilteredClassLoader(BOOT3_HEALTH))
            .withPropertyValues("posthog.health.down-when-unreachable=true")
            .run((context) -> {
                Health health = unreachable(context.getBean(ManagedPosthogClient.class),
                        context.getBean(PosthogHealthIndicator.class));
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                posthog.defaultReply(PosthogStandIn.Reply.ok());
                context.getBean(ManagedPosthogClient.class).capture("u", "after outage"); // the
                                                                                          // next
                                                                                          // probe
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> context.getBean(PosthogHealthIndicator.class)
                        .health(true)
                        .getStatus()
                        .equals(Status.UP));
            });
    }

    private Health unreachable(ManagedPosthogClient client, PosthogHealthIndicator indicator) {
        posthog.defaultReply(PosthogStandIn.Reply.status(503));
        client.start();
        client.capture("u", "lost");
        client.capture("u", "queued");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().backingOff());
        Health health = indicator.health(true);
        Map<String, Object> details = health.getDetails();
        assertThat(details).containsKey("dropped");
        return health;
    }

}
