package io.github.posthog4j.autoconfigure.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The Micrometer bridge on a {@link TestObservationRegistry}: each observation becomes a
 * PostHog span (name, kind, key values, error, parent, request context, active span),
 * with and without Micrometer Tracing's ids, against the stand-in server.
 */
class PosthogObservationHandlerTests {

    private final PosthogStandIn server = PosthogStandIn.start();

    private final ManagedPosthogClient client = PosthogClient.builder("phc_bridge")
        .host(this.server.url())
        .traces(TracesConfig.builder().flushInterval(Duration.ofMillis(50)).build())
        .logs(LogsConfig.builder().flushInterval(Duration.ofMillis(50)).build())
        .build();

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    @AfterEach
    void tearDown() {
        this.client.close();
        this.server.close();
    }

    private PosthogObservationHandler handler(SpanIds.Source ids, List<String> excluded) {
        return new PosthogObservationHandler(this.client, excluded, ids, (c) -> null);
    }

    private void register(PosthogObservationHandler handler) {
        this.registry.observationConfig().observationHandler(handler);
    }

    private List<JsonNode> spans() {
        this.client.flush();
        return this.server.spans();
    }

    private static JsonNode named(List<JsonNode> spans, String name) {
        return spans.stream()
            .filter((s) -> s.get("name").asText().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    private static Map<String, String> attributes(JsonNode span) {
        Map<String, String> out = new LinkedHashMap<>();
        span.path("attributes")
            .forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value").path("stringValue").asText()));
        return out;
    }

    private static ObjectProvider<Tracer> provider(Tracer tracer) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("tracer", tracer);
        return beans.getBeanProvider(Tracer.class);
    }

    @Test
    void whenAnObservationStopsShouldSendItAsASpanWithItsNameKeyValuesAndContext() {
        register(handler(null, List.of()));
        PosthogContext.builder().distinctId("user-1").sessionId("session-1").run(() -> {
            Observation observation = Observation.createNotStarted("orders.place", this.registry)
                .contextualName("place order")
                .lowCardinalityKeyValue("region", "eu")
                .highCardinalityKeyValue("order.id", "o-123")
                .start();
            observation.event(Observation.Event.of("payment.authorized"));
            observation.stop();
        });
        JsonNode span = spans().get(0);
        assertThat(span.get("name").asText()).isEqualTo("place order");
        assertThat(span.get("kind").asInt()).isEqualTo(1);
        assertThat(attributes(span)).containsEntry("region", "eu")
            .containsEntry("order.id", "o-123")
            .containsEntry("posthogDistinctId", "user-1")
            .containsEntry("sessionId", "session-1");
        assertThat(span.get("events").get(0).get("name").asText()).isEqualTo("payment.authorized");
    }

    @Test
    void whenObservationsNestShouldParentTheSpansAndMakeTheScopeTheActiveSpan() {
        register(handler(null, List.of()));
        Observation parent = Observation.start("http.server.requests", this.registry);
        try (Observation.Scope scope = parent.openScope()) {
            PosthogSpan active = this.client.getActiveSpan();
            assertThat(active).isNotNull();
            Observation.createNotStarted("repository.find", this.registry).observe(() -> {
            });
            this.client.startSpan("manual").end();
            this.client.captureLog("inside the request");
        }
        assertThat(this.client.getActiveSpan()).isNull();
        parent.stop();
        List<JsonNode> spans = spans();
        JsonNode root = named(spans, "http.server.requests");
        assertThat(named(spans, "repository.find").get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
        assertThat(named(spans, "manual").get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
        assertThat(named(spans, "manual").get("traceId")).isEqualTo(root.get("traceId"));
        JsonNode log = this.server.logRecords().get(0);
        assertThat(log.get("traceId")).isEqualTo(root.get("traceId"));
        assertThat(log.get("spanId")).isEqualTo(root.get("spanId"));
    }

    @Test
    void whenAnObservationFailsShouldRecordTheErrorAndNeverThrowIntoTheObservedCode() {
        register(handler(null, List.of()));
        assertThatThrownBy(() -> Observation.createNotStarted("checkout", this.registry).observe(() -> {
            throw new IllegalStateException("card declined");
        })).hasMessage("card declined");
        JsonNode span = spans().get(0);
        assertThat(span.get("status").get("code").asInt()).isEqualTo(2);
        assertThat(span.get("events").get(0).get("name").asText()).isEqualTo("exception");
        this.client.close();
        Observation.createNotStarted("after close", this.registry).observe(() -> {
        });
    }

    @Test
    void whenTheObservationIsAServerOrClientRequestShouldSetTheKind() {
        register(handler(null, List.of()));
        ReceiverContext<Map<String, String>> server = new ReceiverContext<>((carrier, key) -> carrier.get(key),
                Kind.SERVER);
        server.setCarrier(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate",
                "vendor=abc"));
        Observation.createNotStarted("http.server.requests", () -> server, this.registry).observe(() -> {
        });
        SenderContext<Map<String, String>> client = new SenderContext<>(
                (carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
        client.setCarrier(new LinkedHashMap<>());
        Observation.createNotStarted("http.client.requests", () -> client, this.registry).observe(() -> {
        });
        List<JsonNode> spans = spans();
        JsonNode serverSpan = named(spans, "http.server.requests");
        assertThat(serverSpan.get("kind").asInt()).isEqualTo(2);
        // without Micrometer Tracing, an incoming W3C traceparent is continued
        assertThat(serverSpan.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(serverSpan.get("parentSpanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(serverSpan.get("traceState").asText()).isEqualTo("vendor=abc");
        assertThat(named(spans, "http.client.requests").get("kind").asInt()).isEqualTo(3);
        // nothing is injected into outgoing requests (the spec wants an allowlist for
        // that)
        assertThat(client.getCarrier()).isEmpty();
    }

    @Test
    void whenMicrometerTracingIsPresentShouldReuseItsIds() {
        SimpleTracer tracer = new SimpleTracer();
        this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        register(handler(new MicrometerTracingSpanIds(provider(tracer)), List.of()));
        assertTracerIdsReused(tracer);
    }

    @Test
    void whenOurHandlerRunsBeforeMicrometerTracingsShouldStillReuseItsIds() {
        SimpleTracer tracer = new SimpleTracer();
        register(handler(new MicrometerTracingSpanIds(provider(tracer)), List.of()));
        this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        assertTracerIdsReused(tracer);
    }

    private void assertTracerIdsReused(SimpleTracer tracer) {
        Observation parent = Observation.start("outer", this.registry);
        try (Observation.Scope scope = parent.openScope()) {
            Observation.createNotStarted("inner", this.registry).observe(() -> {
            });
        }
        parent.stop();
        List<JsonNode> spans = spans();
        assertThat(tracer.getSpans()).hasSize(2);
        for (SimpleSpan traced : tracer.getSpans()) {
            JsonNode span = named(spans, traced.getName());
            String traceId = traced.context().traceId();
            assertThat(span.get("traceId").asText())
                .isEqualTo((traceId.length() == 16) ? "0000000000000000" + traceId : traceId);
            assertThat(span.get("spanId").asText()).isEqualTo(traced.context().spanId());
        }
        assertThat(named(spans, "inner").get("parentSpanId")).isEqualTo(named(spans, "outer").get("spanId"));
    }

    @Test
    void whenAnObservationIsExcludedShouldSendNoSpan() {
        register(handler(null, List.of("spring.security.")));
        Observation.createNotStarted("spring.security.filterchains", this.registry).observe(() -> {
        });
        Observation.createNotStarted("kept", this.registry).observe(() -> {
        });
        assertThat(spans()).extracting((s) -> s.get("name").asText()).containsExactly("kept");
    }

    @Test
    void whenTheRequestContextIsKnownOnlyAtTheStopShouldTakeItThen() {
        Function<Observation.Context, PosthogContext> request = (
                c) -> PosthogContext.builder().distinctId("from-request").sessionId("s-2").build();
        register(new PosthogObservationHandler(this.client, List.of(), null, request));
        Observation.createNotStarted("http.server.requests", this.registry).observe(() -> {
        });
        assertThat(attributes(spans().get(0))).containsEntry("posthogDistinctId", "from-request")
            .containsEntry("sessionId", "s-2");
    }

}
