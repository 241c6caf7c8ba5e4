package io.github.posthog4j.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Micrometer meters of the client, with the guide's names. */
class PosthogMetricsAutoConfigurationTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, PosthogAutoConfiguration.class,
                PosthogMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("posthog.api-key=phc_metrics", "posthog.host=" + posthog.url(),
                "posthog.flush-interval=20ms", "posthog.max-queue-size=5");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenMeterRegistryPresentShouldExposeEveryMeter() {
        contextRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            for (int i = 0; i < 7; i++) {
                client.capture("u", "e" + i); // 5 fit the queue, 2 are dropped
            }
            assertThat(registry.get("posthog.queue.size").gauge().value()).isEqualTo(5.0);
            assertThat(registry.get("posthog.queue.capacity").gauge().value()).isEqualTo(5.0);
            assertThat(registry.get("posthog.consumers.active").gauge().value()).isZero();
            assertThat(registry.get("posthog.events.dropped").tag("reason", "queue_full").functionCounter().count())
                .isEqualTo(2.0);
            assertThat(registry.get("posthog.events.dropped").functionCounters())
                .hasSize(io.github.posthog4j.client.DropReason.values().length);
            client.start();
            assertThat(client.flush()).isEqualTo(5);
            assertThat(registry.get("posthog.events.captured").functionCounter().count()).isEqualTo(5.0);
            assertThat(registry.get("posthog.events.sent").functionCounter().count()).isEqualTo(5.0);
            assertThat(registry.get("posthog.consumers.active").gauge().value())
                .isEqualTo(PosthogClientBuilder.DEFAULT_CONSUMER_THREADS);
            assertThat(registry.get("posthog.retries").functionCounter().count()).isZero();
            assertThat(registry.get("posthog.consumer.restarts").functionCounter().count()).isZero();
            assertThat(registry.get("posthog.requests")
                .tags("endpoint", "batch", "outcome", "success", "status", "200")
                .timer()
                .count()).isEqualTo(1);
            assertThat(registry.get("posthog.queue.size").gauge().value()).isZero();
        });
    }

    @Test
    void whenMicrometerAbsentShouldRegisterNoBinder() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogMetricsAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("io.micrometer"))
            .withPropertyValues("posthog.api-key=phc_metrics", "posthog.host=" + posthog.url())
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(ManagedPosthogClient.class)
                .doesNotHaveBean(PosthogMeterBinder.class));
    }

    @Test
    void whenPosthogDisabledShouldRegisterNoBinder() {
        contextRunner.withPropertyValues("posthog.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(PosthogMeterBinder.class));
    }

}
