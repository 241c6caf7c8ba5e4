package io.github.posthog4j.autoconfigure.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.autoconfigure.InvalidPosthogPropertyException;
import io.github.posthog4j.autoconfigure.PosthogAutoConfiguration;
import io.github.posthog4j.client.BeforeSendLogHook;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Logback appender ({@code posthog.logs.enabled}), in real contexts on Spring Boot's
 * Logback, against the stand-in server: levels, logger filters, MDC, exceptions, the
 * request context, Micrometer Tracing's ids, no recursion, no blocking.
 */
class PosthogLogbackAppenderTests {

    private static final Logger app = LoggerFactory.getLogger("com.example.shop.Checkout");

    private final PosthogStandIn server = PosthogStandIn.start();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PosthogAutoConfiguration.class, PosthogLogsAutoConfiguration.class))
        .withPropertyValues("posthog.api-key=phc_logs_test", "posthog.host=" + this.server.url(),
                "posthog.logs.enabled=true", "posthog.logs.flush-interval=50ms", "posthog.retry-initial-backoff=10ms");

    @AfterEach
    void tearDown() {
        MDC.clear();
        this.server.close();
    }

    private List<JsonNode> records(ApplicationContext context) {
        context.getBean(PosthogClient.class).flush();
        return this.server.logRecords();
    }

    private static Map<String, JsonNode> attributes(JsonNode record) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        record.path("attributes").forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value")));
        return out;
    }

    private static String text(JsonNode record, String attribute) {
        JsonNode value = attributes(record).get(attribute);
        return (value != null) ? value.path("stringValue").asText() : null;
    }

    private static List<String> bodies(List<JsonNode> records) {
        return records.stream().map((r) -> r.get("body").get("stringValue").asText()).toList();
    }

    @Test
    void whenEnabledShouldSendEventsAtOrAboveWarnWithTheFormattedMessage() {
        this.contextRunner.run((context) -> {
            app.debug("debug {}", 1);
            app.info("info {}", 2);
            app.warn("stock low for {} items", 3);
            app.error("payment failed for order {}", "o-7");
            List<JsonNode> records = records(context);
            assertThat(bodies(records)).containsExactly("stock low for 3 items", "payment failed for order o-7");
            assertThat(records).extracting((r) -> r.get("severityNumber").asInt()).containsExactly(13, 17);
            assertThat(text(records.get(0), "logger.name")).isEqualTo("com.example.shop.Checkout");
            assertThat(text(records.get(0), "thread.name")).isEqualTo(Thread.currentThread().getName());
        });
    }

    @Test
    void whenTheLevelIsSetShouldSendFromThatLevel() {
        this.contextRunner.withPropertyValues("posthog.logs.level=info").run((context) -> {
            app.debug("not sent");
            app.info("sent");
            assertThat(bodies(records(context))).containsExactly("sent");
        });
    }

    @Test
    void whenTheLevelIsInvalidShouldFailNamingTheProperty() {
        this.contextRunner.withPropertyValues("posthog.logs.level=loud").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidPosthogPropertyException.class)
                .hasMessageContaining("posthog.logs.level");
        });
    }

    @Test
    void whenTheSpoolIsOnShouldKeepLogLinesWhilePosthogIsDownForTheNextContext(@TempDir Path dir) {
        this.server.defaultReply(PosthogStandIn.Reply.status(503));
        String[] spool = { "posthog.spool.enabled=true", "posthog.spool.directory=" + dir.resolve("spool"),
                "posthog.max-retries=100", "posthog.shutdown-timeout=300ms" };
        this.contextRunner.withPropertyValues(spool).run((context) -> {
            for (int i = 0; i < 20; i++) {
                app.warn("kept {}", i);
            }
            assertThat(context.getBean(ManagedPosthogClient.class).pipelineStatus().get(RequestReport.LOGS).queueSize())
                .isEqualTo(20);
        }); // closed while PostHog answers 503: the lines stay in <spool>/logs
        assertThat(this.server.logRecords()).isEmpty();
        assertThat(dir.resolve("spool").resolve("logs")).isDirectory();

        this.server.defaultReply(PosthogStandIn.Reply.ok());
        this.contextRunner.withPropertyValues(spool).run((context) -> {
            // found in the spool at start (no line logged yet), delivered by the flush
            ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
            assertThat(client.pipelineStatus().get(RequestReport.LOGS).queueSize()).isEqualTo(20);
            client.flush();
            assertThat(bodies(this.server.logRecords())).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 20).mapToObj((i) -> "kept " + i).toList());
        });
    }

    @Test
    void whenDisabledShouldAttachNothing() {
        this.contextRunner.withPropertyValues("posthog.logs.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(PosthogLogbackRegistration.class);
            app.error("not sent");
            context.getBean(PosthogClient.class).flush();
            assertThat(this.server.logRequests()).isEmpty();
            // captureLog works without the appender
            context.getBean(PosthogClient.class).captureLog("explicit");
            assertThat(bodies(records(context))).containsExactly("explicit");
        });
    }

    @Test
    void whenLogbackIsAbsentShouldStartWithoutTheAppender() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(LoggerContext.class)).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(PosthogClient.class);
            assertThat(context).doesNotHaveBean(PosthogLogbackRegistration.class);
        });
    }

    @Test
    void whenTheContextClosesShouldDetachTheAppender() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.contextRunner
            .run((context) -> assertThat(logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("POSTHOG"))
                .isNotNull());
        assertThat(logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("POSTHOG")).isNull();
    }

    @Test
    void whenLoggersAreIncludedOrExcludedShouldFilterByNamePrefix() {
        this.contextRunner
            .withPropertyValues("posthog.logs.include-loggers=com.example",
                    "posthog.logs.exclude-loggers=com.example.noisy")
            .run((context) -> {
                LoggerFactory.getLogger("com.example.orders.Service").warn("included");
                LoggerFactory.getLogger("com.example.noisy.Poller").warn("excluded");
                LoggerFactory.getLogger("com.examplewidgets.Other").warn("not under com.example");
                LoggerFactory.getLogger("org.other.Lib").warn("not included");
                assertThat(bodies(records(context))).containsExactly("included");
            });
    }

    @Test
    void whenTheMdcHasEntriesShouldSendThemAsAttributes() {
        this.contextRunner.run((context) -> {
            MDC.put("tenant", "acme");
            MDC.put("orderId", "o-1");
            app.warn("with mdc");
            MDC.clear();
            app.warn("without mdc");
            List<JsonNode> records = records(context);
            assertThat(text(records.get(0), "tenant")).isEqualTo("acme");
            assertThat(text(records.get(0), "orderId")).isEqualTo("o-1");
            assertThat(attributes(records.get(1))).doesNotContainKey("tenant");
        });
        this.server.reset();
        this.contextRunner.withPropertyValues("posthog.logs.mdc=false").run((context) -> {
            MDC.put("tenant", "acme");
            app.warn("mdc off");
            assertThat(attributes(records(context).get(0))).doesNotContainKey("tenant");
        });
    }

    @Test
    void whenAThrowableIsLoggedShouldSendItAsOpenTelemetryExceptionAttributes() {
        this.contextRunner.run((context) -> {
            app.error("checkout failed", new IllegalStateException("card declined", new RuntimeException("gateway")));
            JsonNode record = records(context).get(0);
            assertThat(record.get("body").get("stringValue").asText()).isEqualTo("checkout failed");
            assertThat(text(record, "exception.type")).isEqualTo("java.lang.IllegalStateException");
            assertThat(text(record, "exception.message")).isEqualTo("card declined");
            assertThat(text(record, "exception.stacktrace"))
                .startsWith("java.lang.IllegalStateException: card declined")
                .contains("\tat io.github.posthog4j.autoconfigure.logs.PosthogLogbackAppenderTests")
                .contains("Caused by: java.lang.RuntimeException: gateway");
        });
    }

    @Test
    void whenLoggedInARequestContextShouldCarryItsDistinctIdAndSessionId() {
        this.contextRunner.run((context) -> {
            PosthogContext.builder().distinctId("user-42").sessionId("session-9").run(() -> app.warn("in request"));
            JsonNode record = records(context).get(0);
            assertThat(text(record, "posthogDistinctId")).isEqualTo("user-42");
            assertThat(text(record, "sessionId")).isEqualTo("session-9");
        });
    }

    @Test
    void whenMicrometerTracingHasACurrentSpanShouldCarryItsIds() {
        this.contextRunner.withUserConfiguration(TracerConfiguration.class).run((context) -> {
            Tracer tracer = context.getBean(Tracer.class);
            Span span = tracer.nextSpan().name("checkout").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                app.warn("traced");
            }
            finally {
                span.end();
            }
            app.warn("untraced");
            List<JsonNode> records = records(context);
            String traceId = span.context().traceId();
            assertThat(records.get(0).get("traceId").asText())
                .isEqualTo((traceId.length() == 16) ? "0000000000000000" + traceId : traceId)
                .hasSize(32);
            assertThat(records.get(0).get("spanId").asText()).isEqualTo(span.context().spanId());
            assertThat(records.get(1).has("traceId")).isFalse();
        });
    }

    @Test
    void whenTheClientLogsItselfShouldNotRecurse() {
        this.contextRunner.withUserConfiguration(LoggingHookConfiguration.class).run((context) -> {
            // the client's own logger, and a log record hook that logs: neither comes
            // back
            LoggerFactory.getLogger("io.github.posthog4j.client.PosthogClient").error("client says");
            app.warn("once");
            Thread posthogThread = new Thread(() -> app.error("from a posthog thread"), "posthog-test-thread");
            posthogThread.start();
            posthogThread.join();
            List<JsonNode> records = records(context);
            assertThat(bodies(records)).containsExactly("once");
            assertThat(LoggingHookConfiguration.calls).hasValue(1);
        });
    }

    @Test
    void whenPosthogIsDownShouldNotBlockTheLoggingThreadUnderABurst() {
        this.server.stall(); // PostHog takes every request and never answers
        this.contextRunner
            .withPropertyValues("posthog.logs.max-queue-size=1000", "posthog.logs.rate-cap-max-logs=0",
                    "posthog.request-timeout=60s", "posthog.shutdown-timeout=500ms")
            .run((context) -> {
                ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
                client.start(); // as ApplicationReadyEvent would
                app.warn("first line");
                // the logs consumer now waits on a request PostHog never answers
                await().until(() -> !this.server.logRequests().isEmpty());
                long start = System.nanoTime();
                for (int i = 0; i < 10_000; i++) {
                    app.warn("burst line {}", i);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // a logging thread that waited for PostHog would take a minute per
                // request
                assertThat(took).isLessThan(Duration.ofSeconds(20));
                PosthogClientStatus logs = client.pipelineStatus().get(RequestReport.LOGS);
                assertThat(logs.captured()).isEqualTo(10_001);
                assertThat(logs.dropped().get(DropReason.QUEUE_FULL)).isEqualTo(9_000);
                assertThat(logs.queueSize()).isEqualTo(1_000 + 1); // the queue and the
                                                                   // request in flight
            });
        this.server.release();
    }

    @Configuration(proxyBeanMethods = false)
    static class TracerConfiguration {

        @Bean
        Tracer tracer() {
            return new SimpleTracer();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class LoggingHookConfiguration {

        static final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        LoggingHookConfiguration() {
            calls.set(0);
        }

        @Bean
        BeforeSendLogHook loggingHook() {
            return (record) -> {
                calls.incrementAndGet();
                LoggerFactory.getLogger("com.example.Hook").error("a hook that logs: {}", record.body());
                return record;
            };
        }

    }

}
