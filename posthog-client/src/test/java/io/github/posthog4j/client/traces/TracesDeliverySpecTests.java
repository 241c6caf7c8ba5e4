package io.github.posthog4j.client.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The traces specification's scenarios about delivery, against the stand-in server: the
 * resource, envelope, route, compression, the span queue, the live-span bounds, flush
 * triggers, batching, the shutdown flush, PostHog's answers and the configuration. Each
 * test is named after its scenario.
 */
@ExtendWith(LogCapture.class)
class TracesDeliverySpecTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.retryInitialBackoff(Duration.ofMillis(10))
        .retryMaxBackoff(Duration.ofMillis(40))
        .traces(fast().build()));

    private static TracesConfig.Builder fast() {
        return TracesConfig.builder().flushInterval(Duration.ofMillis(50));
    }

    private ManagedPosthogClient client(TracesConfig.Builder traces) {
        return this.posthog.client((b) -> b.traces(traces.build()));
    }

    private ManagedPosthogClient client(TracesConfig.Builder traces, UnaryOperator<PosthogClientBuilder> more) {
        return this.posthog.client((b) -> more.apply(b.traces(traces.build())));
    }

    private static PosthogClientStatus traces(ManagedPosthogClient client) {
        return client.pipelineStatus().get(RequestReport.TRACES);
    }

    private static List<String> names(List<JsonNode> spans) {
        return spans.stream().map((s) -> s.get("name").asText()).toList();
    }

    private List<JsonNode> awaitSpans(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().spans().size() >= n);
        return this.posthog.server().spans();
    }

    private static Map<String, String> resource(PosthogStandIn.Request request, String resources) {
        Map<String, String> out = new LinkedHashMap<>();
        request.json()
            .get(resources)
            .get(0)
            .get("resource")
            .get("attributes")
            .forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value").get("stringValue").asText()));
        return out;
    }

    // ---------------------------------------------------------------- resource,
    // envelope, transport

    @Test
    @DisplayName("service name always present")
    void serviceNameAlwaysPresent() {
        ManagedPosthogClient client = client(fast());
        client.startSpan("x").end();
        client.flush();
        assertThat(resource(this.posthog.server().traceRequests().get(0), "resourceSpans"))
            .containsEntry("service.name", "unknown_service");
    }

    @Test
    @DisplayName("identity keys protected")
    void identityKeysProtected() {
        ManagedPosthogClient client = client(fast().serviceName("checkout")
            .resourceAttributes(Map.of("telemetry.sdk.name", "custom", "region", "eu")));
        client.startSpan("x").end();
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().traceRequests().get(0);
        assertThat(resource(request, "resourceSpans")).containsEntry("telemetry.sdk.name", "posthog-spring-boot")
            .containsEntry("service.name", "checkout")
            .containsEntry("region", "eu");
        JsonNode scope = request.json().at("/resourceSpans/0/scopeSpans/0/scope");
        assertThat(scope.get("name").asText()).isEqualTo("posthog-spring-boot");
    }

    @Test
    @DisplayName("one batch one envelope")
    void oneBatchOneEnvelope() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        for (int i = 0; i < 20; i++) {
            client.startSpan("s" + i).end();
        }
        client.flush();
        List<PosthogStandIn.Request> requests = this.posthog.server().traceRequests();
        assertThat(requests).hasSize(1);
        JsonNode body = requests.get(0).json();
        assertThat(body.get("resourceSpans")).hasSize(1);
        assertThat(body.at("/resourceSpans/0/scopeSpans")).hasSize(1);
        assertThat(body.at("/resourceSpans/0/scopeSpans/0/spans")).hasSize(20);
    }

    @Test
    @DisplayName("endpoint and bearer auth")
    void endpointAndBearerAuth() {
        ManagedPosthogClient client = client(fast(), (b) -> b.apiKey("phc_abc"));
        client.startSpan("x").end();
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().traceRequests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/i/v1/traces");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).containsEntry("authorization", "Bearer phc_abc")
            .containsEntry("content-type", "application/json");
    }

    @Test
    @DisplayName("gzipped batch")
    void gzippedBatch() {
        ManagedPosthogClient client = client(fast());
        client.startSpan("x").end();
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().traceRequests().get(0);
        assertThat(request.headers()).containsEntry("content-encoding", "gzip");
    }

    @Test
    @DisplayName("gzip unavailable (compression off)")
    void gzipUnavailable() {
        ManagedPosthogClient client = client(fast(), (b) -> b.compression(false));
        client.startSpan("x").end();
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().traceRequests().get(0);
        assertThat(request.headers()).doesNotContainKey("content-encoding");
        assertThat(request.json()).isNotNull();
    }

    // ---------------------------------------------------------------- queue and live
    // spans

    @Test
    @DisplayName("overflow drops the new span")
    void overflowDropsTheNewSpan(CapturedLog log) {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.traces(fast().maxQueueSize(3).build()));
        for (int i = 1; i <= 5; i++) {
            client.startSpan("span " + i).end();
        }
        assertThat(traces(client).dropped().get(DropReason.QUEUE_FULL)).isEqualTo(2);
        client.start();
        assertThat(names(awaitSpans(3))).containsExactly("span 1", "span 2", "span 3");
        client.close();
        await().untilAsserted(() -> assertThat(log.getAll()).contains("dropped 2 spans").contains("queue_full 2"));
    }

    @Test
    @DisplayName("leaked spans are bounded")
    void leakedSpansAreBounded() {
        ManagedPosthogClient client = client(fast().maxLiveSpans(3));
        List<PosthogSpan> leaked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leaked.add(client.startSpan("leak " + i));
        }
        assertThat(leaked).allMatch(PosthogSpan::isRecording);
        PosthogSpan refused = client.startSpan("one too many");
        assertThat(refused.isRecording()).isFalse();
        assertThat(refused.traceparent()).isNull();
        assertThat(traces(client).dropped().get(DropReason.SPAN_LIMIT)).isEqualTo(1);
        // ending one frees a place
        leaked.get(0).end();
        assertThat(client.startSpan("fits again").isRecording()).isTrue();
    }

    @Test
    @DisplayName("age eviction re-enables tracing")
    void ageEvictionReEnablesTracing() {
        ManagedPosthogClient client = client(fast().maxLiveSpans(2).maxSpanAge(Duration.ofMillis(300)));
        PosthogSpan a = client.startSpan("leak a");
        PosthogSpan b = client.startSpan("leak b");
        assertThat(client.startSpan("refused").isRecording()).isFalse();
        long leakedAt = System.nanoTime();
        await().until(() -> System.nanoTime() - leakedAt > Duration.ofMillis(300).toNanos());
        PosthogSpan fresh = client.startSpan("fresh");
        assertThat(fresh.isRecording()).isTrue();
        assertThat(a.isRecording()).isFalse();
        assertThat(b.isRecording()).isFalse();
        a.end();
        fresh.end();
        assertThat(names(awaitSpans(1))).containsExactly("fresh");
        assertThat(traces(client).dropped().get(DropReason.SPAN_LIMIT)).isEqualTo(3);
    }

    // ---------------------------------------------------------------- flush triggers and
    // batching

    @Test
    @DisplayName("global flush includes traces")
    void globalFlushIncludesTraces() {
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)),
                (b) -> b.flushInterval(Duration.ofMinutes(10))
                    .logs(LogsConfig.builder().flushInterval(Duration.ofMinutes(10)).build()));
        client.capture("u", "event");
        client.captureLog("log");
        client.startSpan("span").end();
        assertThat(client.flush()).isEqualTo(3);
        assertThat(this.posthog.server().spans()).hasSize(1);
    }

    @Test
    @DisplayName("timer and depth triggers (maxExportBatchSize doubles as the depth trigger)")
    void timerAndDepthTriggers() {
        ManagedPosthogClient timer = client(fast().flushInterval(Duration.ofMillis(100)));
        timer.startSpan("alone").end();
        assertThat(names(awaitSpans(1))).containsExactly("alone");
        this.posthog.server().reset();
        ManagedPosthogClient depth = client(fast().flushInterval(Duration.ofMinutes(10)).maxExportBatchSize(4));
        for (int i = 0; i < 4; i++) {
            depth.startSpan("d" + i).end();
        }
        assertThat(awaitSpans(4)).hasSize(4);
    }

    @Test
    @DisplayName("single flight")
    void singleFlight() {
        this.posthog.server().defaultReply(Reply.ok().delayed(Duration.ofMillis(100)));
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)));
        for (int i = 0; i < 50; i++) {
            client.startSpan("s" + i).end();
        }
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(client::flush);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(client::flush);
        first.join();
        second.join();
        Set<String> distinct = new HashSet<>(names(this.posthog.server().spans()));
        assertThat(this.posthog.server().spans()).hasSize(50);
        assertThat(distinct).hasSize(50);
    }

    @Test
    @DisplayName("hung request cannot wedge the pipeline")
    void hungRequestCannotWedgeThePipeline() {
        this.posthog.server().respondWith(Reply.ok().delayed(Duration.ofSeconds(5)));
        ManagedPosthogClient client = client(fast(), (b) -> b.requestTimeout(Duration.ofMillis(300)));
        client.startSpan("first").end();
        client.flush();
        List<RequestReport> reports = this.posthog.reports();
        assertThat(reports.get(0).statusCode()).isZero();
        assertThat(reports.get(0).outcome()).isEqualTo(RequestReport.Outcome.RETRYABLE_ERROR);
        assertThat(reports).extracting(RequestReport::outcome).contains(RequestReport.Outcome.SUCCESS);
        client.startSpan("second").end();
        client.flush();
        assertThat(traces(client).sent()).isEqualTo(2);
    }

    @Test
    @DisplayName("mid-flush trigger drains later spans")
    void midFlushTriggerDrainsLaterSpans() {
        this.posthog.server().defaultReply(Reply.ok().delayed(Duration.ofMillis(200)));
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)));
        for (int i = 0; i < 5; i++) {
            client.startSpan("before " + i).end();
        }
        CompletableFuture<Integer> active = CompletableFuture.supplyAsync(client::flush);
        await().until(() -> !this.posthog.server().traceRequests().isEmpty());
        for (int i = 0; i < 5; i++) {
            client.startSpan("after " + i).end();
        }
        client.flush();
        assertThat(names(this.posthog.server().spans())).filteredOn((n) -> n.startsWith("after")).hasSize(5);
        active.join();
        assertThat(this.posthog.server().spans()).hasSize(10);
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    @DisplayName("bounded final flush")
    void boundedFinalFlush() {
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)));
        client.startSpan("queued").end();
        PosthogSpan live = client.startSpan("still live at close");
        client.close();
        assertThat(names(this.posthog.server().spans())).containsExactly("queued");
        // live spans are discarded at shutdown, counted as closed (documented)
        assertThat(traces(client).dropped().get(DropReason.CLOSED)).isEqualTo(1);
        live.end();
        assertThat(this.posthog.server().spans()).hasSize(1);
    }

    // ---------------------------------------------------------------- errors and retries

    @Test
    @DisplayName("413 shrinks the batch")
    void shrinksTheBatchOn413() {
        this.posthog.server().respondWith(413);
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        for (int i = 0; i < 50; i++) {
            client.startSpan("s" + i).end();
        }
        client.flush();
        assertThat(this.posthog.server().traceRequests())
            .extracting((r) -> r.json().at("/resourceSpans/0/scopeSpans/0/spans").size())
            .containsExactly(50, 25, 25);
        assertThat(this.posthog.server().spans()).hasSize(50);
        assertThat(traces(client).retries()).isZero();
    }

    @Test
    @DisplayName("400 is poison, not retried")
    void poison400NotRetried() {
        this.posthog.server().respondWith(400);
        ManagedPosthogClient client = client(fast());
        client.startSpan("poison").end();
        client.flush();
        assertThat(this.posthog.server().traceRequests()).hasSize(1);
        assertThat(traces(client).dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    @DisplayName("retries are bounded")
    void retriesAreBounded() {
        this.posthog.server().respondWith(500, 500, 500, 500);
        ManagedPosthogClient client = client(fast());
        client.startSpan("unlucky").end();
        client.flush();
        assertThat(traces(client).dropped().get(DropReason.RETRIES_EXHAUSTED)).isEqualTo(1);
        assertThat(this.posthog.server().traceRequests()).hasSize(4); // maxRetries 3: 4
                                                                      // attempts
        client.startSpan("next").end();
        client.flush();
        assertThat(names(this.posthog.server().spans())).containsExactly("next");
    }

    @Test
    @DisplayName("enqueue continues during backoff")
    void enqueueContinuesDuringBackoff() {
        this.posthog.server().respondWith(500, 500);
        ManagedPosthogClient client = client(fast(),
                (b) -> b.retryInitialBackoff(Duration.ofMillis(300)).retryMaxBackoff(Duration.ofMillis(600)));
        client.startSpan("first").end();
        await().until(() -> this.posthog.server().traceRequests().size() == 1);
        for (int i = 0; i < 5; i++) {
            client.startSpan("during " + i).end();
        }
        assertThat(traces(client).captured()).isEqualTo(6);
        assertThat(traces(client).droppedTotal()).isZero();
        assertThat(awaitSpans(6)).hasSize(6);
    }

    @Test
    @DisplayName("missing or bad token: 401 is non-retriable")
    void unauthorizedIsNotRetried() {
        this.posthog.server().respondWith(401);
        ManagedPosthogClient client = client(fast());
        client.startSpan("x").end();
        client.flush();
        assertThat(this.posthog.server().traceRequests()).hasSize(1);
        assertThat(traces(client).dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    @DisplayName("no quota signal required (a 429 with Retry-After backs off)")
    void noQuotaSignalRequired() {
        this.posthog.server().respondWith(Reply.status(429).header("Retry-After", "1"));
        ManagedPosthogClient client = client(fast(), (b) -> b.retryMaxBackoff(Duration.ofSeconds(2)));
        client.startSpan("x").end();
        client.flush();
        List<PosthogStandIn.Request> requests = this.posthog.server().traceRequests();
        assertThat(requests).extracting((r) -> r.replyStatus().get()).containsExactly(429, 200);
        assertThat(requests.get(1).receivedNanos() - requests.get(0).receivedNanos())
            .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
    }

    @Test
    @DisplayName("oversize body: requests stay under the 2 MB limit")
    void oversizeBody() {
        this.posthog.server()
            .route("/i/v1/traces", (r) -> (r.body().length > 2_000_000) ? Reply.status(413) : Reply.ok());
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        String big = "x".repeat(100_000);
        for (int i = 0; i < 40; i++) {
            client.startSpan("big " + i).setAttribute("payload", big).end();
        }
        client.flush();
        assertThat(this.posthog.server().traceRequests())
            .allSatisfy((r) -> assertThat(r.replyStatus().get()).isEqualTo(200));
        assertThat(this.posthog.server().spans()).hasSize(40);
    }

    // ---------------------------------------------------------------- configuration

    @Test
    @DisplayName("off until configured")
    void offUntilConfigured() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.traces(null));
        PosthogSpan span = client.startSpan("x");
        assertThat(span.isRecording()).isFalse();
        span.end();
        client.flush();
        assertThat(this.posthog.server().traceRequests()).isEmpty();
        assertThat(client.pipelineStatus()).doesNotContainKey(RequestReport.TRACES);
    }

    @Test
    @DisplayName("shared vocabulary")
    void sharedVocabulary() {
        Map<String, Object> attributes = Map.of("region", "eu");
        ManagedPosthogClient client = this.posthog.client((b) -> b
            .logs(LogsConfig.builder()
                .serviceName("shop")
                .environment("prod")
                .resourceAttributes(attributes)
                .flushInterval(Duration.ofMillis(50))
                .build())
            .traces(fast().serviceName("shop").environment("prod").resourceAttributes(attributes).build()));
        client.captureLog("x");
        client.startSpan("x").end();
        client.flush();
        assertThat(resource(this.posthog.server().traceRequests().get(0), "resourceSpans"))
            .isEqualTo(resource(this.posthog.server().logRequests().get(0), "resourceLogs"))
            .containsEntry("service.name", "shop")
            .containsEntry("deployment.environment", "prod")
            .containsEntry("region", "eu");
    }

}
