package io.github.posthog4j.client.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogContext;
import io.github.posthog4j.client.PosthogSpan;
import io.github.posthog4j.client.PosthogSpanData;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.SpanKind;
import io.github.posthog4j.client.SpanOptions;
import io.github.posthog4j.client.SpanStatus;
import io.github.posthog4j.client.TracesConfig;
import io.github.posthog4j.client.errors.TypeError;
import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The traces specification's scenarios about the span API, against the stand-in server:
 * handles, no-ops, the scoped helpers, ids, the active span, W3C interop, the data model,
 * validity, limits, attribute encoding, the context and the end-time gates. Each test is
 * named after its scenario (docs/LOGS-AND-TRACES.md has the table).
 */
@ExtendWith(LogCapture.class)
class TracesApiSpecTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.traces(fast().build()));

    static TracesConfig.Builder fast() {
        return TracesConfig.builder().flushInterval(Duration.ofMillis(50));
    }

    private ManagedPosthogClient client() {
        return this.posthog.client();
    }

    private ManagedPosthogClient client(TracesConfig.Builder traces) {
        return this.posthog.client((b) -> b.traces(traces.build()));
    }

    private ManagedPosthogClient client(UnaryOperator<io.github.posthog4j.client.PosthogClientBuilder> more) {
        return this.posthog.client(more);
    }

    private List<JsonNode> spans(ManagedPosthogClient client, int n) {
        client.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().spans().size() >= n);
        return this.posthog.server().spans();
    }

    // ---------------------------------------------------------------- public span API

    @Test
    @DisplayName("start and end produces one record")
    void startAndEndProducesOneRecord() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("checkout");
        assertThat(span.isRecording()).isTrue();
        span.end();
        List<JsonNode> spans = spans(client, 1);
        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).get("name").asText()).isEqualTo("checkout");
    }

    @Test
    @DisplayName("double end is idempotent")
    void doubleEndIsIdempotent() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("once");
        span.end();
        assertThatNoException().isThrownBy(span::end);
        client.flush();
        assertThat(this.posthog.server().spans()).hasSize(1);
        assertThat(client.pipelineStatus().get(RequestReport.TRACES).captured()).isEqualTo(1);
    }

    @Test
    @DisplayName("operations after end are ignored")
    void operationsAfterEndAreIgnored() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("done");
        span.end();
        assertThatNoException().isThrownBy(() -> span.setAttribute("k", "v")
            .addEvent("late")
            .setStatus(SpanStatus.ERROR)
            .updateName("renamed")
            .recordException(new IllegalStateException()));
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.attributes(record)).doesNotContainKey("k");
        assertThat(record.get("name").asText()).isEqualTo("done");
        assertThat(record.has("events")).isFalse();
        assertThat(record.has("status")).isFalse();
        assertThat(span.isRecording()).isFalse();
    }

    @Test
    @DisplayName("name updated after route resolution")
    void nameUpdatedAfterRouteResolution() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("HTTP request");
        span.updateName("GET /users/:id");
        span.end();
        assertThat(spans(client, 1).get(0).get("name").asText()).isEqualTo("GET /users/:id");
    }

    @Test
    @DisplayName("explicit endTime overrides the derived end")
    void explicitEndTimeOverridesTheDerivedEnd() {
        ManagedPosthogClient client = client();
        Instant start = Instant.now().minusSeconds(60);
        PosthogSpan span = client.startSpan("backdated", SpanOptions.builder().startTime(start).build());
        Instant end = start.plusMillis(1500);
        span.end(end);
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.start(record)).isEqualTo(start.getEpochSecond() * 1_000_000_000L + start.getNano());
        assertThat(Spans.end(record)).isEqualTo(end.getEpochSecond() * 1_000_000_000L + end.getNano());
    }

    // ---------------------------------------------------------------- no-op handles

    @Test
    @DisplayName("no-op span when opted out")
    void noOpSpanWhenOptedOut() {
        ManagedPosthogClient client = client();
        client.optOut();
        PosthogSpan span = client.startSpan("x");
        assertThat(span.isRecording()).isFalse();
        assertThatNoException().isThrownBy(() -> {
            span.setAttribute("a", 1).addEvent("e").setStatus(SpanStatus.OK).recordException(new RuntimeException());
            try (PosthogSpan.Scope scope = span.activate()) {
                assertThat(client.getActiveSpan()).isNull();
            }
            span.end();
        });
        client.flush();
        assertThat(this.posthog.server().traceRequests()).isEmpty();
    }

    @Test
    @DisplayName("child of a no-op is a no-op")
    void childOfANoOpIsANoOp() {
        ManagedPosthogClient client = client();
        PosthogSpan child = client.startSpan("child", SpanOptions.builder().parent(PosthogSpan.noop()).build());
        assertThat(child.isRecording()).isFalse();
        assertThat(child.traceId()).isNull();
        child.end();
        client.flush();
        assertThat(this.posthog.server().spans()).isEmpty();
    }

    @Test
    @DisplayName("no-op handle produces no traceparent")
    void noOpHandleProducesNoTraceparent() {
        PosthogSpan noop = this.posthog.client((b) -> b.traces(null)).startSpan("x");
        assertThat(noop.traceparent()).isNull();
        assertThat(noop.tracestate()).isNull();
        assertThat(noop.spanId()).isNull();
    }

    @Test
    @DisplayName("scoped helper still runs with tracing off")
    void scopedHelperStillRunsWithTracingOff() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.traces(null));
        List<PosthogSpan> seen = new ArrayList<>();
        String result = client.withSpan("job", (span) -> {
            seen.add(span);
            assertThat(client.getActiveSpan()).isNull();
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).isRecording()).isFalse();
        client.flush();
        assertThat(this.posthog.server().traceRequests()).isEmpty();
    }

    // ---------------------------------------------------------------- scoped helpers

    @Test
    @DisplayName("callback exception is recorded and rethrown")
    void callbackExceptionIsRecordedAndRethrown() {
        ManagedPosthogClient client = client();
        TypeError boom = new TypeError("boom");
        assertThatThrownBy(() -> client.withSpan("job", (span) -> {
            throw boom;
        })).isSameAs(boom);
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.get("status").get("code").asInt()).isEqualTo(2);
        assertThat(record.get("status").get("message").asText()).isEqualTo("boom");
        JsonNode event = record.get("events").get(0);
        assertThat(event.get("name").asText()).isEqualTo("exception");
        assertThat(Spans.string(event, "exception.type")).isEqualTo(TypeError.class.getName());
        assertThat(Spans.string(event, "exception.message")).isEqualTo("boom");
    }

    @Test
    @DisplayName("a checked exception reaches the caller unchanged; ok set by the work is final")
    void checkedExceptionAndOkIsFinal() {
        ManagedPosthogClient client = client();
        java.io.IOException io = new java.io.IOException("disk");
        assertThatThrownBy(() -> client.withSpan("io", (span) -> {
            span.setStatus(SpanStatus.OK);
            throw io;
        })).isSameAs(io);
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.get("status").get("code").asInt()).isEqualTo(1);
        assertThat(record.get("events").get(0).get("name").asText()).isEqualTo("exception");
    }

    @Test
    @DisplayName("async callback ends at settle")
    void asyncCallbackEndsAtSettle() {
        ManagedPosthogClient client = client();
        CompletionStage<String> stage = client.withSpanAsync("job", SpanOptions.none(), (span) -> CompletableFuture
            .supplyAsync(() -> "late", CompletableFuture.delayedExecutor(80, TimeUnit.MILLISECONDS)));
        assertThat(stage.toCompletableFuture().join()).isEqualTo("late");
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.end(record) - Spans.start(record)).isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());

        CompletionStage<String> failing = client.withSpanAsync("failing", SpanOptions.none(),
                (span) -> CompletableFuture.failedFuture(new TypeError("async boom")));
        assertThatThrownBy(() -> failing.toCompletableFuture().join()).hasCauseInstanceOf(TypeError.class);
        JsonNode failed = Spans.named(spans(client, 2), "failing");
        assertThat(failed.get("status").get("code").asInt()).isEqualTo(2);
        assertThat(Spans.string(failed.get("events").get(0), "exception.message")).isEqualTo("async boom");
    }

    @Test
    @DisplayName("helper ends the span on success")
    void helperEndsTheSpanOnSuccess() {
        ManagedPosthogClient client = client();
        AtomicReference<PosthogSpan> inside = new AtomicReference<>();
        int result = client.withSpan("job", (span) -> {
            inside.set(span);
            return 42;
        });
        assertThat(result).isEqualTo(42);
        assertThat(inside.get().isRecording()).isFalse();
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.has("status")).isFalse();
    }

    @Test
    @DisplayName("recordException does not end the span")
    void recordExceptionDoesNotEndTheSpan() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("manual");
        span.recordException(new IllegalArgumentException("bad input"));
        assertThat(span.isRecording()).isTrue();
        client.flush();
        assertThat(this.posthog.server().spans()).isEmpty();
        span.setAttribute("after", true);
        span.end();
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.get("status").get("code").asInt()).isEqualTo(2);
        assertThat(record.get("events").get(0).get("name").asText()).isEqualTo("exception");
        assertThat(Spans.attributes(record)).containsKey("after");
    }

    @Test
    @DisplayName("context manager form (try-with-resources activation)")
    void contextManagerForm() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("job");
        try (PosthogSpan.Scope scope = span.activate()) {
            assertThat(client.getActiveSpan()).isSameAs(span);
            client.startSpan("inside").end();
        }
        assertThat(client.getActiveSpan()).isNull();
        span.end();
        List<JsonNode> spans = spans(client, 2);
        assertThat(Spans.named(spans, "inside").get("parentSpanId").asText()).isEqualTo(span.spanId());
    }

    // ---------------------------------------------------------------- ids

    @Test
    @DisplayName("root span gets fresh well-formed ids")
    void rootSpanGetsFreshWellFormedIds() {
        ManagedPosthogClient client = client();
        client.startSpan("root").end();
        client.startSpan("another root").end();
        List<JsonNode> spans = spans(client, 2);
        for (JsonNode s : spans) {
            assertThat(s.get("traceId").asText()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(s.get("spanId").asText()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
            assertThat(s.has("parentSpanId")).isFalse();
        }
        assertThat(spans.get(0).get("traceId")).isNotEqualTo(spans.get(1).get("traceId"));
    }

    @Test
    @DisplayName("child inherits trace id")
    void childInheritsTraceId() {
        ManagedPosthogClient client = client();
        client.withSpan("A", (a) -> {
            client.startSpan("B").end();
            return null;
        });
        List<JsonNode> spans = spans(client, 2);
        JsonNode a = Spans.named(spans, "A");
        JsonNode b = Spans.named(spans, "B");
        assertThat(b.get("traceId")).isEqualTo(a.get("traceId"));
        assertThat(b.get("parentSpanId").asText()).isEqualTo(a.get("spanId").asText());
    }

    // ---------------------------------------------------------------- active span

    @Test
    @DisplayName("default parenting from active span")
    void defaultParentingFromActiveSpan() {
        ManagedPosthogClient client = client();
        client.withSpan("parent", (parent) -> {
            assertThat(client.getActiveSpan()).isSameAs(parent);
            client.startSpan("child").end();
            return null;
        });
        List<JsonNode> spans = spans(client, 2);
        assertThat(Spans.named(spans, "child").get("parentSpanId").asText())
            .isEqualTo(Spans.named(spans, "parent").get("spanId").asText());
    }

    @Test
    @DisplayName("manual spans do not activate")
    void manualSpansDoNotActivate() {
        ManagedPosthogClient client = client();
        PosthogSpan manual = client.startSpan("M");
        assertThat(client.getActiveSpan()).isNull();
        client.startSpan("other").end();
        manual.end();
        JsonNode other = Spans.named(spans(client, 2), "other");
        assertThat(other.has("parentSpanId")).isFalse();
        assertThat(other.get("traceId").asText()).isNotEqualTo(manual.traceId());
    }

    @Test
    @DisplayName("explicit parent overrides active span")
    void explicitParentOverridesActiveSpan() {
        ManagedPosthogClient client = client();
        PosthogSpan b = client.startSpan("B");
        client.withSpan("A", (a) -> {
            client.startSpan("child", SpanOptions.builder().parent(b).build()).end();
            return null;
        });
        b.end();
        JsonNode child = Spans.named(spans(client, 3), "child");
        assertThat(child.get("parentSpanId").asText()).isEqualTo(b.spanId());
        assertThat(child.get("traceId").asText()).isEqualTo(b.traceId());
    }

    @Test
    @DisplayName("no active span reads as null")
    void noActiveSpanReadsAsNull() {
        ManagedPosthogClient client = client();
        assertThat(client.getActiveSpan()).isNull();
        client.withSpan("x", (s) -> null);
        assertThat(client.getActiveSpan()).isNull();
    }

    @Test
    @DisplayName("the active span is scoped per client instance")
    void activeSpanIsScopedPerInstance() {
        ManagedPosthogClient one = client();
        ManagedPosthogClient two = client();
        one.withSpan("one", (span) -> {
            assertThat(one.getActiveSpan()).isSameAs(span);
            assertThat(two.getActiveSpan()).isNull();
            return null;
        });
    }

    @Test
    @DisplayName("logs correlate with the active span")
    void logsCorrelateWithTheActiveSpan() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.traces(fast().build())
            .logs(io.github.posthog4j.client.LogsConfig.builder().flushInterval(Duration.ofMillis(50)).build()));
        AtomicReference<PosthogSpan> active = new AtomicReference<>();
        client.withSpan("step", (span) -> {
            active.set(span);
            client.captureLog("step done");
            return null;
        });
        client.captureLog("outside");
        client.flush();
        List<JsonNode> logs = this.posthog.server().logRecords();
        assertThat(logs.get(0).get("traceId").asText()).isEqualTo(active.get().traceId());
        assertThat(logs.get(0).get("spanId").asText()).isEqualTo(active.get().spanId());
        assertThat(logs.get(1).has("traceId")).isFalse();
    }

    // ---------------------------------------------------------------- W3C trace context

    @Test
    @DisplayName("continuing a remote trace")
    void continuingARemoteTrace() {
        ManagedPosthogClient client = client();
        String t = "4bf92f3577b34da6a3ce929d0e0e4736";
        String s = "00f067aa0ba902b7";
        client.startSpan("sampled", SpanOptions.builder().parent("00-" + t + "-" + s + "-01").build()).end();
        client.startSpan("not sampled", SpanOptions.builder().parent("00-" + t + "-" + s + "-00").build()).end();
        for (JsonNode span : spans(client, 2)) {
            assertThat(span.get("traceId").asText()).isEqualTo(t);
            assertThat(span.get("parentSpanId").asText()).isEqualTo(s);
        }
    }

    @Test
    @DisplayName("producing a traceparent")
    void producingATraceparent() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("x");
        assertThat(span.traceparent()).isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-01");
        span.end();
    }

    @Test
    @DisplayName("tracestate preserved opaquely")
    void tracestatePreservedOpaquely() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("continued",
                SpanOptions.builder()
                    .parent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .tracestate("vendor=abc")
                    .build());
        assertThat(span.tracestate()).isEqualTo("vendor=abc");
        client.startSpan("child", SpanOptions.builder().parent(span).build()).end();
        span.end();
        PosthogSpan invalid = client.startSpan("invalid state",
                SpanOptions.builder()
                    .parent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .tracestate("Not Valid=")
                    .build());
        invalid.end();
        List<JsonNode> spans = spans(client, 3);
        assertThat(Spans.named(spans, "continued").get("traceState").asText()).isEqualTo("vendor=abc");
        assertThat(Spans.named(spans, "child").get("traceState").asText()).isEqualTo("vendor=abc");
        JsonNode dropped = Spans.named(spans, "invalid state");
        assertThat(dropped.has("traceState")).isFalse();
        assertThat(dropped.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    @DisplayName("malformed traceparent ignored")
    void malformedTraceparentIgnored() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("fresh", SpanOptions.builder().parent("garbage").build());
        assertThat(span.isRecording()).isTrue();
        span.end();
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.has("parentSpanId")).isFalse();
        assertThat(record.get("traceId").asText()).matches("[0-9a-f]{32}");
    }

    // ---------------------------------------------------------------- data model

    @Test
    @DisplayName("default kind and unset status")
    void defaultKindAndUnsetStatus() {
        ManagedPosthogClient client = client();
        client.startSpan("plain").end();
        client.startSpan("server", SpanOptions.builder().kind(SpanKind.SERVER).build()).end();
        List<JsonNode> spans = spans(client, 2);
        assertThat(Spans.named(spans, "plain").get("kind").asInt()).isEqualTo(1);
        assertThat(Spans.named(spans, "plain").has("status")).isFalse();
        assertThat(Spans.named(spans, "server").get("kind").asInt()).isEqualTo(2);
        assertThat(Spans.named(spans, "plain").get("flags").asInt() & 1).isEqualTo(1);
    }

    @Test
    @DisplayName("timestamps are strings and ordered")
    void timestampsAreStringsAndOrdered() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("timed");
        long startedAt = System.nanoTime();
        await().until(() -> System.nanoTime() - startedAt > Duration.ofMillis(30).toNanos());
        span.end();
        long measured = System.nanoTime() - startedAt;
        JsonNode record = spans(client, 1).get(0);
        assertThat(record.get("startTimeUnixNano").isTextual()).isTrue();
        assertThat(record.get("endTimeUnixNano").isTextual()).isTrue();
        long duration = Spans.end(record) - Spans.start(record);
        assertThat(duration).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos()).isLessThanOrEqualTo(measured);
    }

    @Test
    @DisplayName("event timestamp shares the span's clock basis")
    void eventTimestampSharesTheSpansClockBasis() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        ManagedPosthogClient client = client((b) -> b.clock(clock));
        PosthogSpan span = client.startSpan("jumpy");
        clock.set(Instant.parse("2026-06-01T11:00:00Z")); // the wall clock jumps back an
                                                          // hour
        span.addEvent("cache miss");
        span.end();
        JsonNode record = spans(client, 1).get(0);
        long event = Long.parseLong(record.get("events").get(0).get("timeUnixNano").asText());
        assertThat(event).isBetween(Spans.start(record), Spans.end(record));
        assertThat(Spans.start(record))
            .isEqualTo(Instant.parse("2026-06-01T12:00:00Z").getEpochSecond() * 1_000_000_000L);
        assertThat(Spans.end(record) - Spans.start(record)).isLessThan(Duration.ofMinutes(1).toNanos());
    }

    // ---------------------------------------------------------------- validity

    @Test
    @DisplayName("invalid startTime replaced")
    void invalidStartTimeReplaced() {
        ManagedPosthogClient client = client();
        long before = System.currentTimeMillis();
        client.startSpan("far future", SpanOptions.builder().startTime(Instant.parse("3000-01-01T00:00:00Z")).build())
            .end();
        client.startSpan("before epoch", SpanOptions.builder().startTime(Instant.parse("1960-01-01T00:00:00Z")).build())
            .end();
        for (JsonNode span : spans(client, 2)) {
            assertThat(Spans.start(span) / 1_000_000).isGreaterThanOrEqualTo(before)
                .isLessThanOrEqualTo(System.currentTimeMillis());
            assertThat(Spans.end(span)).isGreaterThanOrEqualTo(Spans.start(span));
        }
    }

    @Test
    @DisplayName("end before start corrected")
    void endBeforeStartCorrected() {
        ManagedPosthogClient client = client();
        Instant start = Instant.now().minusSeconds(10);
        PosthogSpan span = client.startSpan("backwards", SpanOptions.builder().startTime(start).build());
        span.end(start.minusSeconds(5));
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.end(record)).isEqualTo(Spans.start(record));
    }

    @Test
    @DisplayName("deep backdating warns")
    void deepBackdatingWarns(CapturedLog log) {
        log.withDebug();
        ManagedPosthogClient client = client();
        client.startSpan("old", SpanOptions.builder().startTime(Instant.now().minus(Duration.ofHours(48))).build())
            .end();
        client.startSpan("  ").end();
        List<JsonNode> spans = spans(client, 2);
        assertThat(spans).extracting((s) -> s.get("name").asText()).contains("old", "unknown");
        await().untilAsserted(
                () -> assertThat(log.getAll()).contains("more than 24 hours ago").contains("named 'unknown'"));
    }

    // ---------------------------------------------------------------- limits

    @Test
    @DisplayName("attribute overflow trimmed and counted")
    void attributeOverflowTrimmedAndCounted() {
        ManagedPosthogClient client = client();
        PosthogSpan span = client.startSpan("wide");
        for (int i = 0; i < 130; i++) {
            span.setAttribute("a" + i, i);
        }
        span.end();
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.attributes(record)).hasSize(128)
            .containsKey("a0")
            .containsKey("a127")
            .doesNotContainKey("a128");
        assertThat(record.get("droppedAttributesCount").asInt()).isEqualTo(2);
    }

    @Test
    @DisplayName("auto-context survives the cap")
    void autoContextSurvivesTheCap() {
        ManagedPosthogClient client = client(fast().maxAttributesPerSpan(2).maxEventsPerSpan(1).beforeSpanSend((s) -> {
            s.attributes().put("added-by-hook", 1);
            return s;
        }));
        PosthogContext.builder().distinctId("user-1").sessionId("session-1").run(() -> {
            PosthogSpan span = client.startSpan("capped");
            span.setAttribute("one", 1).setAttribute("two", 2).setAttribute("three", 3);
            span.addEvent("e1").addEvent("e2");
            span.end();
        });
        JsonNode record = spans(client, 1).get(0);
        assertThat(Spans.attributes(record)).containsOnlyKeys("posthogDistinctId", "sessionId", "one", "two");
        assertThat(record.get("droppedAttributesCount").asInt()).isEqualTo(2);
        assertThat(record.get("events")).hasSize(1);
        assertThat(record.get("droppedEventsCount").asInt()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- attribute encoding

    @Test
    @DisplayName("integer attribute stringified")
    void integerAttributeStringified() {
        ManagedPosthogClient client = client();
        client.startSpan("x").setAttribute("n", 42).end();
        assertThat(Spans.attributes(spans(client, 1).get(0)).get("n").toString()).isEqualTo("{\"intValue\":\"42\"}");
    }

    @Test
    @DisplayName("null attribute dropped")
    void nullAttributeDropped() {
        ManagedPosthogClient client = client();
        Map<String, Object> values = new HashMap<>();
        values.put("gone", null);
        values.put("kept", "y");
        client.startSpan("x", SpanOptions.builder().attributes(values).build()).end();
        assertThat(Spans.attributes(spans(client, 1).get(0))).containsOnlyKeys("kept");
    }

    @Test
    @DisplayName("integer beyond int64 encoded as string")
    void integerBeyondInt64EncodedAsString(CapturedLog log) {
        log.withDebug();
        ManagedPosthogClient client = client();
        client.startSpan("x").setAttribute("big", BigInteger.TWO.pow(64)).end();
        assertThat(Spans.attributes(spans(client, 1).get(0)).get("big").toString())
            .isEqualTo("{\"stringValue\":\"18446744073709551616\"}");
        await().untilAsserted(() -> assertThat(log.getAll()).contains("beyond 64 bits"));
    }

    // ---------------------------------------------------------------- context

    @Test
    @DisplayName("distinct id snapshot frozen at start")
    void distinctIdSnapshotFrozenAtStart() {
        ManagedPosthogClient client = client();
        AtomicReference<PosthogSpan> span = new AtomicReference<>();
        PosthogContext.builder().distinctId("a").run(() -> span.set(client.startSpan("x")));
        PosthogContext.builder().distinctId("b").run(() -> span.get().end());
        assertThat(Spans.string(spans(client, 1).get(0), "posthogDistinctId")).isEqualTo("a");
    }

    @Test
    @DisplayName("absent session omits the key")
    void absentSessionOmitsTheKey() {
        ManagedPosthogClient client = client();
        PosthogContext.builder().distinctId("a").run(() -> client.startSpan("with id").end());
        client.startSpan("no context").end();
        List<JsonNode> spans = spans(client, 2);
        assertThat(Spans.attributes(Spans.named(spans, "with id"))).containsOnlyKeys("posthogDistinctId");
        assertThat(Spans.attributes(Spans.named(spans, "no context"))).isEmpty();
    }

    @Test
    @DisplayName("user attribute wins")
    void userAttributeWins() {
        ManagedPosthogClient client = client();
        PosthogContext.builder()
            .distinctId("from-context")
            .run(() -> client.startSpan("x", SpanOptions.builder().attribute("posthogDistinctId", "override").build())
                .end());
        assertThat(Spans.string(spans(client, 1).get(0), "posthogDistinctId")).isEqualTo("override");
    }

    // ---------------------------------------------------------------- gating and
    // beforeSpanSend

    @Test
    @DisplayName("beforeSpanSend drops a span")
    void beforeSpanSendDropsASpan() {
        ManagedPosthogClient client = client(fast().beforeSpanSend((s) -> s.name().equals("drop") ? null : s));
        assertThatNoException().isThrownBy(() -> client.startSpan("drop").end());
        client.startSpan("keep").end();
        assertThat(spans(client, 1)).extracting((s) -> s.get("name").asText()).containsExactly("keep");
        assertThat(client.pipelineStatus().get(RequestReport.TRACES).dropped().get(DropReason.BEFORE_SEND))
            .isEqualTo(1);
    }

    @Test
    @DisplayName("throwing hook fails closed")
    void throwingHookFailsClosed(CapturedLog log) {
        ManagedPosthogClient client = client(fast().beforeSpanSend((s) -> {
            s.attributes().remove("password");
            throw new IllegalStateException("scrubber broke");
        }));
        client.startSpan("secret", SpanOptions.builder().attribute("password", "hunter2").build()).end();
        client.flush();
        assertThat(this.posthog.server().spans()).isEmpty();
        assertThat(client.pipelineStatus().get(RequestReport.TRACES).dropped().get(DropReason.BEFORE_SEND))
            .isEqualTo(1);
        await().untilAsserted(() -> assertThat(log.getAll()).contains("threw java.lang.IllegalStateException"));
        // drops are summarised at most once per flush interval, at the next span or flush
        // tick, and at close
        client.close();
        await().untilAsserted(() -> assertThat(log.getAll()).contains("dropped 1 spans").contains("before_send 1"));
        assertThat(log.getAll()).doesNotContain("hunter2");
    }

    @Test
    @DisplayName("hook sees friendly attributes")
    void hookSeesFriendlyAttributes() {
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<String> kind = new AtomicReference<>();
        ManagedPosthogClient client = client(fast().beforeSpanSend((s) -> {
            seen.set(s.attributes().get("userId"));
            kind.set(s.kind().tag() + "/" + s.status().tag());
            return s;
        }));
        client.startSpan("x", SpanOptions.builder().kind(SpanKind.CLIENT).build()).setAttribute("userId", 42).end();
        spans(client, 1);
        assertThat(seen.get()).isEqualTo(42);
        assertThat(kind.get()).isEqualTo("client/unset");
    }

    @Test
    @DisplayName("identity fields are readable but immutable")
    void identityFieldsAreReadableButImmutable(CapturedLog log) {
        log.withDebug();
        AtomicReference<PosthogSpanData> first = new AtomicReference<>();
        List<String> read = new ArrayList<>();
        ManagedPosthogClient client = client(fast().beforeSpanSend((s) -> {
            read.add(s.traceId());
            if (first.compareAndSet(null, s)) {
                return s;
            }
            PosthogSpanData other = first.get(); // another span's data: other ids
            other.setName("renamed by hook");
            return other;
        }));
        client.startSpan("first").end();
        PosthogSpan second = client.startSpan("second");
        second.end();
        List<JsonNode> spans = spans(client, 2);
        JsonNode renamed = Spans.named(spans, "renamed by hook");
        assertThat(renamed.get("traceId").asText()).isEqualTo(second.traceId());
        assertThat(renamed.get("spanId").asText()).isEqualTo(second.spanId());
        assertThat(read).containsExactly(spans.get(0).get("traceId").asText(), second.traceId());
        await().untilAsserted(() -> assertThat(log.getAll()).contains("ids are read-only"));
    }

    @Test
    @DisplayName("opt-out mid-trace is safe")
    void optOutMidTraceIsSafe() {
        ManagedPosthogClient client = client();
        PosthogSpan live = client.startSpan("live");
        client.optOut();
        assertThatNoException().isThrownBy(() -> live.setAttribute("a", 1).end());
        client.flush();
        assertThat(this.posthog.server().spans()).isEmpty();
        assertThat(client.pipelineStatus().get(RequestReport.TRACES).dropped().get(DropReason.OPTED_OUT)).isEqualTo(1);
    }

    /** A wall clock a test can move. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return this.now;
        }

    }

}
