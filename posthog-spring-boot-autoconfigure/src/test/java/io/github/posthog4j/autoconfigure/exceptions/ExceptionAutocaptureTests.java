package io.github.posthog4j.autoconfigure.exceptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.autoconfigure.InvalidPosthogPropertyException;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Autocapture outside requests: failed {@code @Scheduled} tasks (the task scheduler's
 * error handler), uncaught exceptions (opt-in, chaining the previous handler), and the
 * in-app packages taken from the application's auto-configuration packages.
 */
class ExceptionAutocaptureTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class,
                PosthogExceptionsAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_exceptions", "posthog.host=" + this.server.url(),
                "posthog.flush-interval=50ms");

    @AfterEach
    void tearDown() {
        this.server.close();
    }

    private List<JsonNode> exceptions(ApplicationContext context) {
        context.getBean(PosthogClient.class).flush();
        return this.server.events().stream().filter((e) -> e.get("event").asText().equals("$exception")).toList();
    }

    @Test
    void aFailedScheduledTaskIsCapturedAndTheScheduleGoesOn() {
        this.contextRunner.withUserConfiguration(FailingSchedule.class).run((context) -> {
            FailingTask task = context.getBean(FailingTask.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> task.runs.get() >= 3);
            List<JsonNode> events = exceptions(context);
            assertThat(events).isNotEmpty();
            JsonNode props = events.get(0).get("properties");
            assertThat(props.get("$exception_type").asText()).isEqualTo("IllegalStateException");
            assertThat(props.get("$exception_source").asText()).isEqualTo("spring.scheduled_error_handler");
            JsonNode mechanism = props.get("$exception_list").get(0).get("mechanism");
            assertThat(mechanism.get("type").asText()).isEqualTo("task");
            assertThat(mechanism.get("handled").asBoolean()).isFalse();
        });
    }

    @Test
    void uncaughtExceptionsAreCapturedWhenAskedAndHandedToThePreviousHandler() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> previousSaw = new AtomicReference<>();
        Thread.UncaughtExceptionHandler previous = (t, e) -> previousSaw.set(e);
        Thread.setDefaultUncaughtExceptionHandler(previous);
        try {
            this.contextRunner.withPropertyValues("posthog.exceptions.uncaught-handler=true").run((context) -> {
                assertThat(Thread.getDefaultUncaughtExceptionHandler())
                    .isInstanceOf(PosthogUncaughtExceptionHandler.class);
                Thread worker = new Thread(() -> {
                    throw new IllegalStateException("worker died");
                }, "posthog-test-worker");
                worker.start();
                worker.join(10_000);
                assertThat(previousSaw.get()).hasMessage("worker died");
                JsonNode props = exceptions(context).get(0).get("properties");
                assertThat(props.get("$exception_source").asText()).isEqualTo("jvm.uncaught_exception_handler");
                assertThat(props.get("$exception_level").asText()).as("not the main thread").isEqualTo("error");
                JsonNode mechanism = props.get("$exception_list").get(0).get("mechanism");
                assertThat(mechanism.get("type").asText()).isEqualTo("onuncaughtexception");
                assertThat(mechanism.get("handled").asBoolean()).isFalse();
            });
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).as("restored on close").isSameAs(previous);
            this.contextRunner
                .run((context) -> assertThat(Thread.getDefaultUncaughtExceptionHandler()).as("off by default")
                    .isSameAs(previous));
        }
        finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void theApplicationsPackagesAreTheInAppPackages() {
        this.contextRunner.withUserConfiguration(ApplicationPackage.class).run((context) -> {
            context.getBean(PosthogClient.class).captureException(new IllegalStateException("in app?"));
            JsonNode frames = exceptions(context).get(0)
                .get("properties")
                .get("$exception_list")
                .get(0)
                .get("stacktrace")
                .get("frames");
            for (JsonNode f : frames) {
                boolean ours = f.get("module").asText().startsWith("io.github.posthog4j.autoconfigure.exceptions.");
                assertThat(f.get("in_app").asBoolean()).as(f.toString()).isEqualTo(ours);
            }
        });
    }

    @Test
    void configuredInAppPackagesWinOverTheApplicationsPackages() {
        this.contextRunner.withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("posthog.exceptions.in-app-packages=org.junit")
            .run((context) -> {
                context.getBean(PosthogClient.class).captureException(new IllegalStateException("in app?"));
                JsonNode frames = exceptions(context).get(0)
                    .get("properties")
                    .get("$exception_list")
                    .get(0)
                    .get("stacktrace")
                    .get("frames");
                for (JsonNode f : frames) {
                    assertThat(f.get("in_app").asBoolean()).as(f.toString())
                        .isEqualTo(f.get("module").asText().startsWith("org.junit."));
                }
            });
    }

    @Test
    void anInvalidStormGuardLimitFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("posthog.exceptions.max-per-minute=0").run((context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidPosthogPropertyException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(InvalidPosthogPropertyException.class);
            assertThat(((InvalidPosthogPropertyException) failure).getProperty())
                .isEqualTo("posthog.exceptions.max-per-minute");
            assertThat(failure).hasMessageContaining("at least 1");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class FailingSchedule {

        @Bean
        FailingTask failingTask() {
            return new FailingTask();
        }

    }

    static class FailingTask {

        final AtomicInteger runs = new AtomicInteger();

        @Scheduled(fixedDelay = 20)
        void run() {
            this.runs.incrementAndGet();
            throw new IllegalStateException("nightly export failed");
        }

    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage
    static class ApplicationPackage {

    }

}
