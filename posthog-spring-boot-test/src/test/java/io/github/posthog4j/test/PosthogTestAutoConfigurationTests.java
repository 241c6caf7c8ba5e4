package io.github.posthog4j.test;

import static io.github.posthog4j.test.PosthogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.autoconfigure.PosthogClientCustomizer;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link PosthogTestAutoConfiguration} with an {@code ApplicationContextRunner}: the
 * auto-configured client records instead of sending, survives its lifecycle (start,
 * reconfiguration) still recording, and a context that cannot record says what to set.
 */
class PosthogTestAutoConfigurationTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogTestAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_runner", "posthog.host=" + posthog.url(),
                "posthog.feature-flags.local-evaluation=true", "posthog.feature-flags.personal-api-key=phx_runner",
                "posthog.feature-flags.poll-interval=50ms");

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenStartedShouldRecordWithoutAnyThreadOrRequestEvenWithLocalEvaluationConfigured() {
        contextRunner.run((context) -> {
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            PosthogRecorder recorder = context.getBean(PosthogRecorder.class);
            assertThat(context.getBean(PosthogClient.class)).isSameAs(client);
            client.start();
            client.capture("u1", "after start");
            client.flush();
            assertThat(recorder).hasCaptured("after start").forDistinctId("u1").once();
            assertThat(client.isFeatureEnabled("flag", "u1")).isFalse();
            assertThat(client.flagsStatus().localEvaluation()).isFalse();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch((t) -> t.getName().startsWith("posthog-"));
            assertThat(posthog.requests()).as("no definitions poll, no batch").isEmpty();
        });
    }

    @Test
    void whenTheContextRestartsTheClientShouldStillRecord() {
        contextRunner.run((context) -> {
            PosthogRecorder recorder = context.getBean(PosthogRecorder.class);
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            context.stop();
            client.capture("u1", "while stopped");
            context.start();
            client.capture("u1", "after restart");
            assertThat(recorder).hasCapturedEvents(2);
            assertThat(posthog.requests()).isEmpty();
        });
    }

    @Test
    void whenAnotherCustomizerSendsElsewhereShouldStillRecord() {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        contextRunner
            .withBean("late", PosthogClientCustomizer.class,
                    () -> (PosthogClientCustomizer) (b) -> b.deliverTo((e) -> elsewhere.add(e.event())))
            .run((context) -> {
                context.getBean(PosthogClient.class).capture("u1", "recorded");
                assertThat(context.getBean(PosthogRecorder.class)).hasCaptured("recorded").once();
                assertThat(elsewhere).isEmpty();
            });
    }

    @Test
    void whenNoKeyIsSetShouldFailWithWhatToSet() {
        contextRunner.withPropertyValues("posthog.api-key=")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("PosthogClient is disabled")
                .hasMessageContaining("set posthog.api-key to any value"));
    }

    @Test
    void whenTheApplicationDefinesItsOwnClientShouldLeaveItAlone() {
        contextRunner
            .withBean(PosthogClient.class, () -> PosthogClient.builder("phc_own").host(posthog.url()).buildStopped())
            .run((context) -> assertThat(context).getBean(PosthogClient.class)
                .isNotInstanceOf(RecordingPosthogClient.class));
    }

}
