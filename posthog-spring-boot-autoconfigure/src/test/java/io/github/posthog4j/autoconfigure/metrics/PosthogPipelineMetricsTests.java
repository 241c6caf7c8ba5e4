package io.github.posthog4j.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The meters of each delivery pipeline, told apart by the {@code pipeline} tag. */
class PosthogPipelineMetricsTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, PosthogAutoConfiguration.class,
                PosthogMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("posthog.api-key=phc_metrics", "posthog.host=" + posthog.url(),
                "posthog.flush-interval=20ms", "posthog.ai.max-queue-size=7");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenAiEventsAreCapturedShouldAddTheAiPipelineMeters() {
        contextRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            assertThat(registry.find("posthog.queue.size").tag("pipeline", "events").gauge()).isNotNull();
            assertThat(registry.find("posthog.queue.size").tag("pipeline", "ai").gauge()).isNull();

            client.start();
            client.capture("u", "plain");
            client.captureAi("u", "$ai_generation");
            client.captureAi("u", "$ai_embedding");
            client.flush();

            assertThat(registry.get("posthog.queue.capacity").tag("pipeline", "ai").gauge().value()).isEqualTo(7.0);
            assertThat(registry.get("posthog.events.sent").tag("pipeline", "ai").functionCounter().count())
                .isEqualTo(2.0);
            assertThat(registry.get("posthog.events.sent").tag("pipeline", "events").functionCounter().count())
                .isEqualTo(1.0);
            assertThat(registry.get("posthog.events.dropped").tag("pipeline", "ai").functionCounters())
                .hasSize(io.github.posthog4j.client.DropReason.values().length);
            assertThat(registry.get("posthog.requests").tags("pipeline", "ai", "endpoint", "batch").timer().count())
                .isEqualTo(1);
        });
    }

}
