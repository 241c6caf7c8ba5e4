package io.github.posthog4j.client.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import io.github.posthog4j.client.RequestReport;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The logs specification's scenarios about delivery, against the stand-in server: the
 * resource and scope, the route and its authentication, the envelope, compression, the
 * queue, the flush triggers, the shutdown flush, batching, the rate cap, the before-send
 * hooks and the handling of PostHog's answers. Each test is named after its scenario.
 */
@ExtendWith(LogCapture.class)
class LogsDeliverySpecTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.retryInitialBackoff(Duration.ofMillis(10))
        .retryMaxBackoff(Duration.ofMillis(40))
        .logs(fast().build()));

    private static LogsConfig.Builder fast() {
        return LogsConfig.builder().flushInterval(Duration.ofMillis(50));
    }

    private ManagedPosthogClient client(LogsConfig.Builder logs) {
        return this.posthog.client((b) -> b.logs(logs.build()));
    }

    private ManagedPosthogClient client(LogsConfig.Builder logs,
            UnaryOperator<io.github.posthog4j.client.PosthogClientBuilder> more) {
        return this.posthog.client((b) -> more.apply(b.logs(logs.build())));
    }

    private List<JsonNode> awaitRecords(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().logRecords().size() >= n);
        return this.posthog.server().logRecords();
    }

    private static List<String> bodies(List<JsonNode> records) {
        return records.stream().map((r) -> r.get("body").get("stringValue").asText()).toList();
    }

    private static Map<String, String> resource(PosthogStandIn.Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        request.json()
            .get("resourceLogs")
            .get(0)
            .get("resource")
            .get("attributes")
            .forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value").get("stringValue").asText()));
        return out;
    }

    private static PosthogClientStatus logs(ManagedPosthogClient client) {
        return client.pipelineStatus().get(RequestReport.LOGS);
    }

    // ---------------------------------------------------------------- resource and scope

    @Test
    @DisplayName("SDK identity keys protected")
    void sdkIdentityKeysProtected() {
        ManagedPosthogClient client = client(fast().serviceName("checkout")
            .serviceVersion("1.2.3")
            .environment("staging")
            .resourceAttributes(Map.of("service.name", "evil", "telemetry.sdk.name", "custom", "team", "payments")));
        client.captureLog("x");
        client.flush();
        Map<String, String> resource = resource(this.posthog.server().logRequests().get(0));
        assertThat(resource).containsEntry("service.name", "checkout")
            .containsEntry("service.version", "1.2.3")
            .containsEntry("deployment.environment", "staging")
            .containsEntry("telemetry.sdk.name", "posthog-spring-boot")
            .containsEntry("team", "payments")
            .containsKeys("telemetry.sdk.version", "os.name", "os.version");
        assertThat(resource.get("telemetry.sdk.version")).isNotBlank();
    }

    @Test
    @DisplayName("scope identifies the SDK")
    void scopeIdentifiesTheSdk() {
        ManagedPosthogClient client = client(fast());
        client.captureLog("x");
        client.flush();
        JsonNode scope = this.posthog.server().logRequests().get(0).json().at("/resourceLogs/0/scopeLogs/0/scope");
        assertThat(scope.get("name").asText()).isEqualTo("posthog-spring-boot");
        assertThat(scope.get("version").asText()).isNotBlank()
            .isEqualTo(resource(this.posthog.server().logRequests().get(0)).get("telemetry.sdk.version"));
        assertThat(resource(this.posthog.server().logRequests().get(0))).containsEntry("service.name",
                "unknown_service");
    }

    // ---------------------------------------------------------------- transport

    @Test
    @DisplayName("endpoint and auth")
    void endpointAndAuth() {
        ManagedPosthogClient client = client(fast(), (b) -> b.apiKey("phc_a+b/c"));
        client.captureLog("x");
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().logRequests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/i/v1/logs");
        assertThat(request.query()).isEqualTo("token=phc_a%2Bb%2Fc");
        assertThat(request.headers()).containsEntry("content-type", "application/json")
            .doesNotContainKey("authorization");
    }

    @Test
    @DisplayName("success response")
    void successResponse() {
        this.posthog.server().defaultReply(Reply.ok().json("{}"));
        ManagedPosthogClient client = client(fast());
        for (int i = 0; i < 3; i++) {
            client.captureLog("x" + i);
        }
        client.flush();
        assertThat(this.posthog.server().logRecords()).hasSize(3);
        assertThat(logs(client).sent()).isEqualTo(3);
        assertThat(logs(client).queueSize()).isZero();
    }

    @Test
    @DisplayName("one batch one envelope")
    void oneBatchOneEnvelope() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.logs(fast().build()));
        for (int i = 0; i < 20; i++) {
            client.captureLog("line " + i);
        }
        client.flush();
        List<PosthogStandIn.Request> requests = this.posthog.server().logRequests();
        assertThat(requests).hasSize(1);
        JsonNode body = requests.get(0).json();
        assertThat(body.get("resourceLogs")).hasSize(1);
        assertThat(body.at("/resourceLogs/0/scopeLogs")).hasSize(1);
        assertThat(body.at("/resourceLogs/0/scopeLogs/0/logRecords")).hasSize(20);
    }

    @Test
    @DisplayName("gzipped with header")
    void gzippedWithHeader() {
        ManagedPosthogClient client = client(fast());
        client.captureLog("x");
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().logRequests().get(0);
        assertThat(request.headers()).containsEntry("content-encoding", "gzip");
        assertThat(request.wireBytes()).isLessThan(request.body().length);
    }

    @Test
    @DisplayName("gzip unavailable (compression off)")
    void gzipUnavailable() {
        ManagedPosthogClient client = client(fast(), (b) -> b.compression(false));
        client.captureLog("x");
        client.flush();
        PosthogStandIn.Request request = this.posthog.server().logRequests().get(0);
        assertThat(request.headers()).doesNotContainKey("content-encoding");
        assertThat(request.wireBytes()).isEqualTo(request.body().length);
        assertThat(request.json()).isNotNull();
    }

    // ---------------------------------------------------------------- queue

    @Test
    @DisplayName("overflow drops oldest")
    void overflowDropsOldest(CapturedLog log) {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.logs(fast().maxQueueSize(3).build()));
        for (int i = 1; i <= 5; i++) {
            client.captureLog("line " + i);
        }
        assertThat(logs(client).dropped().get(DropReason.QUEUE_FULL)).isEqualTo(2);
        client.start();
        assertThat(bodies(awaitRecords(3))).containsExactly("line 3", "line 4", "line 5");
        await().untilAsserted(() -> assertThat(log.getAll())
            .contains("The PostHog log records queue is full (capacity 3, or its heap budget): dropped 2 log records")
            .contains("posthog.logs.max-queue-size"));
    }

    // ---------------------------------------------------------------- flush triggers

    @Test
    @DisplayName("timer flush ignores threshold")
    void timerFlushIgnoresThreshold() {
        ManagedPosthogClient client = client(fast().flushAt(100).flushInterval(Duration.ofMillis(100)));
        client.captureLog("alone");
        assertThat(bodies(awaitRecords(1))).containsExactly("alone");
    }

    @Test
    @DisplayName("queue depth reaching the flush threshold")
    void queueDepthReachingTheFlushThreshold() {
        ManagedPosthogClient client = client(fast().flushAt(5).flushInterval(Duration.ofMinutes(10)));
        for (int i = 0; i < 5; i++) {
            client.captureLog("x" + i);
        }
        assertThat(awaitRecords(5)).hasSize(5);
    }

    @Test
    @DisplayName("global flush includes logs")
    void globalFlushIncludesLogs() {
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)),
                (b) -> b.flushInterval(Duration.ofMinutes(10)));
        client.capture("u", "event");
        client.captureLog("log");
        assertThat(client.flush()).isEqualTo(2);
        assertThat(this.posthog.server().logRecords()).hasSize(1);
        assertThat(this.posthog.server().events()).hasSize(1);
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    @DisplayName("bounded final flush")
    void boundedFinalFlush() {
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)));
        client.captureLog("buffered");
        client.close();
        assertThat(bodies(this.posthog.server().logRecords())).containsExactly("buffered");

        this.posthog.server().stall();
        ManagedPosthogClient stuck = client(fast().flushInterval(Duration.ofMinutes(10)),
                (b) -> b.shutdownTimeout(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(30)));
        stuck.captureLog("never answered");
        long start = System.nanoTime();
        stuck.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(logs(stuck).dropped().get(DropReason.CLOSED)).isEqualTo(1);
        this.posthog.server().release();
    }

    // ---------------------------------------------------------------- batching

    @Test
    @DisplayName("single flight")
    void singleFlight() {
        this.posthog.server().defaultReply(Reply.ok().delayed(Duration.ofMillis(100)));
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)));
        for (int i = 0; i < 50; i++) {
            client.captureLog("x" + i);
        }
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(client::flush);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(client::flush);
        first.join();
        second.join();
        List<JsonNode> records = this.posthog.server().logRecords();
        assertThat(records).hasSize(50);
        Set<String> distinct = new HashSet<>(bodies(records));
        assertThat(distinct).hasSize(50);
    }

    @Test
    @DisplayName("bounded drain")
    void boundedDrain() throws Exception {
        this.posthog.server().defaultReply(Reply.ok().delayed(Duration.ofMillis(20)));
        ManagedPosthogClient client = client(fast().flushInterval(Duration.ofMinutes(10)).maxBatchSize(10));
        for (int i = 0; i < 30; i++) {
            client.captureLog("before " + i);
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            while (producing.get()) {
                client.captureLog("during");
            }
        });
        producer.start();
        try {
            // returns although records keep coming: the drain ends at the flush's
            // watermark
            client.flush(Duration.ofSeconds(20));
        }
        finally {
            producing.set(false);
            producer.join();
        }
        assertThat(bodies(this.posthog.server().logRecords())).filteredOn((b) -> b.startsWith("before")).hasSize(30);
    }

    // ---------------------------------------------------------------- rate cap

    @Test
    @DisplayName("cap drops excess logs")
    void capDropsExcessLogs(CapturedLog log) {
        ManagedPosthogClient client = client(fast().rateCapMaxLogs(500).rateCapWindow(Duration.ofMinutes(10)));
        for (int i = 0; i < 600; i++) {
            client.captureLog("x" + i);
        }
        client.flush();
        assertThat(this.posthog.server().logRecords()).hasSize(500);
        assertThat(logs(client).dropped().get(DropReason.RATE_LIMITED)).isEqualTo(100);
        await().untilAsserted(() -> assertThat(log.getAll()).contains("PostHog logs rate cap reached"));
        assertThat(log.getAll().split("rate cap reached", -1)).hasSize(2);
    }

    @Test
    @DisplayName("cap runs after beforeSend")
    void capRunsAfterBeforeSend() {
        ManagedPosthogClient client = client(fast().rateCapMaxLogs(2)
            .rateCapWindow(Duration.ofMinutes(10))
            .beforeSend((r) -> r.body().startsWith("drop") ? null : r));
        for (int i = 0; i < 5; i++) {
            client.captureLog("drop " + i);
        }
        client.captureLog("keep 1");
        client.captureLog("keep 2");
        client.flush();
        assertThat(bodies(this.posthog.server().logRecords())).containsExactly("keep 1", "keep 2");
        assertThat(logs(client).dropped().get(DropReason.BEFORE_SEND)).isEqualTo(5);
        assertThat(logs(client).dropped().get(DropReason.RATE_LIMITED)).isZero();
    }

    @Test
    @DisplayName("a non-positive cap or window disables the cap; the window rolls over")
    void nonPositiveCapDisablesIt() {
        ManagedPosthogClient uncapped = client(fast().rateCapMaxLogs(0));
        for (int i = 0; i < 50; i++) {
            uncapped.captureLog("x");
        }
        uncapped.flush();
        assertThat(logs(uncapped).dropped().get(DropReason.RATE_LIMITED)).isZero();

        ManagedPosthogClient rolling = client(fast().rateCapMaxLogs(2).rateCapWindow(Duration.ofMillis(200)));
        long windowStart = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            rolling.captureLog("first window");
        }
        assertThat(logs(rolling).dropped().get(DropReason.RATE_LIMITED)).isEqualTo(1);
        await().until(() -> System.nanoTime() - windowStart > Duration.ofMillis(250).toNanos());
        rolling.captureLog("second window");
        rolling.captureLog("second window");
        assertThat(logs(rolling).dropped().get(DropReason.RATE_LIMITED)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- beforeSend

    @Test
    @DisplayName("hook drops record")
    void hookDropsRecord() {
        ManagedPosthogClient client = client(
                fast().beforeSend((r) -> r.body().contains("secret") ? null : r).beforeSend((r) -> {
                    r.setBody(r.body().equals("blank me") ? "  " : r.body());
                    return r;
                }));
        client.captureLog("has a secret");
        client.captureLog("blank me");
        client.captureLog("fine");
        client.flush();
        assertThat(bodies(this.posthog.server().logRecords())).containsExactly("fine");
        assertThat(logs(client).dropped().get(DropReason.BEFORE_SEND)).isEqualTo(2);
    }

    @Test
    @DisplayName("throwing hook is contained")
    void throwingHookIsContained(CapturedLog log) {
        ManagedPosthogClient client = client(fast().beforeSend((r) -> {
            r.attributes().put("first", true);
            return r;
        }).beforeSend((r) -> {
            throw new IllegalStateException("broken hook");
        }).beforeSend((r) -> {
            r.setSeverity(LogSeverity.WARN);
            return r;
        }));
        client.captureLog("goes on");
        client.flush();
        List<JsonNode> records = this.posthog.server().logRecords();
        assertThat(bodies(records)).containsExactly("goes on");
        assertThat(records.get(0).get("severityText").asText()).isEqualTo("WARN");
        assertThat(records.get(0).get("attributes").toString()).contains("\"first\"");
        assertThat(logs(client).dropped().values()).containsOnly(0L);
        await().untilAsserted(() -> assertThat(log.getAll()).contains("threw java.lang.IllegalStateException"));
    }

    // ---------------------------------------------------------------- errors and retries

    @Test
    @DisplayName("413 shrinks the batch")
    void shrinksTheBatchOn413() {
        this.posthog.server().respondWith(413);
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.logs(fast().build()));
        for (int i = 0; i < 50; i++) {
            client.captureLog("x" + i);
        }
        client.flush();
        List<PosthogStandIn.Request> requests = this.posthog.server().logRequests();
        assertThat(requests).extracting((r) -> r.json().at("/resourceLogs/0/scopeLogs/0/logRecords").size())
            .containsExactly(50, 25, 25);
        assertThat(this.posthog.server().logRecords()).hasSize(50);
        assertThat(logs(client).retries()).isZero();
    }

    @Test
    @DisplayName("single-record 413 is dropped")
    void singleRecord413IsDropped(CapturedLog log) {
        this.posthog.server().respondWith(413);
        ManagedPosthogClient client = client(fast());
        client.captureLog("too big");
        client.flush();
        assertThat(this.posthog.server().logRequests()).hasSize(1);
        assertThat(logs(client).dropped().get(DropReason.REJECTED)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(log.getAll()).contains("HTTP 413"));
    }

    @Test
    @DisplayName("poison 4xx dropped")
    void poison4xxDropped() {
        this.posthog.server().respondWith(400);
        ManagedPosthogClient client = client(fast());
        client.captureLog("poison");
        client.flush();
        client.captureLog("next");
        client.flush();
        assertThat(this.posthog.server().logRequests()).hasSize(2);
        assertThat(bodies(this.posthog.server().logRecords())).containsExactly("next");
        assertThat(logs(client).dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    @DisplayName("retries are bounded: after maxRetries the batch is dropped")
    void retriesAreBounded() {
        this.posthog.server().respondWith(500, 503, 500);
        ManagedPosthogClient client = client(fast(), (b) -> b.maxRetries(2));
        client.captureLog("unlucky");
        client.flush();
        assertThat(logs(client).dropped().get(DropReason.RETRIES_EXHAUSTED)).isEqualTo(1);
        assertThat(logs(client).retries()).isEqualTo(2);
        assertThat(logs(client).backingOff()).isFalse();
        client.captureLog("next");
        client.flush();
        assertThat(bodies(this.posthog.server().logRecords())).containsExactly("next");
    }

    @Test
    @DisplayName("enqueue continues during backoff")
    void enqueueContinuesDuringBackoff() {
        this.posthog.server().respondWith(Reply.status(503).header("Retry-After", "1"));
        ManagedPosthogClient client = client(fast(), (b) -> b.retryMaxBackoff(Duration.ofSeconds(2)));
        client.captureLog("first");
        await().until(() -> this.posthog.server().logRequests().size() == 1);
        for (int i = 0; i < 10; i++) {
            client.captureLog("during backoff " + i);
        }
        assertThat(logs(client).captured()).isEqualTo(11);
        assertThat(logs(client).droppedTotal()).isZero();
        List<JsonNode> records = awaitRecords(11);
        assertThat(bodies(records)).contains("first", "during backoff 9");
        List<PosthogStandIn.Request> requests = this.posthog.server().logRequests();
        assertThat(requests.get(1).receivedNanos() - requests.get(0).receivedNanos())
            .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
    }

    // ---------------------------------------------------------------- remote config and
    // server contract

    @Test
    @DisplayName("captureLog ignores remote config")
    void captureLogIgnoresRemoteConfig() {
        ManagedPosthogClient client = client(fast());
        client.captureLog("no remote config needed");
        assertThat(awaitRecords(1)).hasSize(1);
        assertThat(this.posthog.server().requests()).extracting(PosthogStandIn.Request::path)
            .containsOnly("/i/v1/logs");
    }

    @Test
    @DisplayName("oversize body: requests stay under the 2 MB limit")
    void oversizeBody() {
        this.posthog.server()
            .route("/i/v1/logs", (r) -> (r.body().length > 2_000_000) ? Reply.status(413) : Reply.ok());
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b.logs(fast().build()));
        String big = "x".repeat(100_000);
        for (int i = 0; i < 40; i++) {
            client.captureLog(big + i);
        }
        client.flush();
        List<PosthogStandIn.Request> requests = this.posthog.server().logRequests();
        assertThat(requests).allSatisfy((r) -> assertThat(r.body().length).isLessThan(2_000_000))
            .allSatisfy((r) -> assertThat(r.replyStatus().get()).isEqualTo(200));
        assertThat(this.posthog.server().logRecords()).hasSize(40);
    }

    @Test
    @DisplayName("no quota signal from logs service (a 429 is retried like a 5xx)")
    void noQuotaSignalFromLogsService() {
        this.posthog.server().respondWith(429);
        ManagedPosthogClient client = client(fast());
        client.captureLog("x");
        client.flush();
        assertThat(this.posthog.server().logRequests()).extracting((r) -> r.replyStatus().get())
            .containsExactly(429, 200);
        List<String> outcomes = new ArrayList<>();
        this.posthog.reports().forEach((r) -> outcomes.add(r.pipeline() + ":" + r.outcome().tag()));
        assertThat(outcomes).containsExactly("logs:retryable_error", "logs:success");
    }

}
