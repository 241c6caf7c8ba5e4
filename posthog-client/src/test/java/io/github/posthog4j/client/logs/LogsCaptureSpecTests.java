package io.github.posthog4j.client.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.LogOptions;
import io.github.posthog4j.client.LogSeverity;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogContext;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.posthog4j.testsupport.PosthogExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The logs specification's scenarios about capture, against the stand-in server: the
 * public API, the gates, severities, the record, timestamps, attribute encoding and the
 * context. Each test is named after its scenario (docs/LOGS-AND-TRACES.md has the table).
 */
class LogsCaptureSpecTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension
        .withDefaults((b) -> b.logs(LogsConfig.builder().flushInterval(Duration.ofMillis(50)).build()));

    private List<JsonNode> flushAndRead(ManagedPosthogClient client, int expected) {
        client.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.posthog.server().logRecords().size() >= expected);
        return this.posthog.server().logRecords();
    }

    private static Map<String, JsonNode> attributes(JsonNode record) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        record.path("attributes").forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value")));
        return out;
    }

    // ---------------------------------------------------------------- public capture API

    @Test
    @DisplayName("captureLog with explicit level")
    void captureLogWithExplicitLevel() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog(LogOptions.builder("checkout failed").level("error").build());
        JsonNode record = flushAndRead(client, 1).get(0);
        assertThat(record.get("severityNumber").asInt()).isEqualTo(17);
        assertThat(record.get("body").get("stringValue").asText()).isEqualTo("checkout failed");
    }

    @Test
    @DisplayName("logger helper delegates to captureLog")
    void loggerHelperDelegatesToCaptureLog() {
        ManagedPosthogClient client = this.posthog.client();
        client.logger().info("ready", Map.of("region", "us"));
        client.captureLog(LogOptions.builder("ready").severity(LogSeverity.INFO).attribute("region", "us").build());
        List<JsonNode> records = flushAndRead(client, 2);
        for (JsonNode r : records) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) r)
                .remove(List.of("timeUnixNano", "observedTimeUnixNano"));
        }
        assertThat(records.get(0)).isEqualTo(records.get(1));
        assertThat(records.get(0).get("severityText").asText()).isEqualTo("INFO");
        assertThat(attributes(records.get(0)).get("region").get("stringValue").asText()).isEqualTo("us");
    }

    @Test
    @DisplayName("missing level defaults to info")
    void missingLevelDefaultsToInfo() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog("hello");
        assertThat(flushAndRead(client, 1).get(0).get("severityNumber").asInt()).isEqualTo(9);
    }

    @Test
    @DisplayName("logger called before the SDK is ready")
    void loggerCalledBeforeTheSdkIsReady() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        assertThatNoException().isThrownBy(() -> client.logger().warn("early"));
        assertThat(this.posthog.server().logRequests()).isEmpty();
        client.start();
        assertThat(flushAndRead(client, 1).get(0).get("body").get("stringValue").asText()).isEqualTo("early");
        // a client that is not a real one (the starter's disabled client) inherits no-ops
        assertThatNoException().isThrownBy(() -> new NotReadyClient().logger().error("ignored"));
    }

    @Test
    @DisplayName("a built record does not change when its builder is reused")
    void aBuiltRecordDoesNotChangeWhenItsBuilderIsReused() {
        LogOptions.Builder builder = LogOptions.builder("x").attribute("a", 1);
        LogOptions first = builder.build();
        builder.attribute("b", 2);
        LogOptions second = builder.build();
        assertThat(first.attributes()).containsOnlyKeys("a");
        assertThat(second.attributes()).containsOnlyKeys("a", "b");
    }

    // ---------------------------------------------------------------- gates

    @Test
    @DisplayName("opted-out user drops the log")
    void optedOutUserDropsTheLog() {
        ManagedPosthogClient client = this.posthog.client();
        client.optOut();
        assertThatNoException().isThrownBy(() -> client.captureLog("x"));
        client.optIn();
        client.captureLog("after opt-in");
        List<JsonNode> records = flushAndRead(client, 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("body").get("stringValue").asText()).isEqualTo("after opt-in");
        assertThat(client.pipelineStatus().get("logs").dropped().values()).containsOnly(0L);
    }

    @Test
    @DisplayName("whitespace-only body is dropped")
    void whitespaceOnlyBodyIsDropped() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog("   ");
        client.captureLog((String) null);
        client.captureLog("kept");
        assertThat(flushAndRead(client, 1)).hasSize(1);
        assertThat(client.pipelineStatus().get("logs").dropped().get(DropReason.INVALID)).isEqualTo(2);
    }

    @Test
    @DisplayName("gates short-circuit in order")
    void gatesShortCircuitInOrder() {
        AtomicInteger hookCalls = new AtomicInteger();
        LogsConfig config = LogsConfig.builder()
            .flushInterval(Duration.ofMillis(50))
            .rateCapMaxLogs(1)
            .beforeSend((r) -> {
                hookCalls.incrementAndGet();
                return r;
            })
            .build();
        ManagedPosthogClient closed = this.posthog.client((b) -> b.logs(config));
        closed.close();
        closed.captureLog("after close");
        ManagedPosthogClient optedOut = this.posthog.client((b) -> b.logs(config));
        optedOut.optOut();
        optedOut.captureLog("opted out");
        optedOut.captureLog("   ");
        assertThat(hookCalls).hasValue(0);
        // neither used the rate cap's budget of 1
        optedOut.optIn();
        optedOut.captureLog("first after opt-in");
        assertThat(flushAndRead(optedOut, 1)).hasSize(1);
        assertThat(hookCalls).hasValue(1);
    }

    // ---------------------------------------------------------------- severity

    @Test
    @DisplayName("each level maps to its number")
    void eachLevelMapsToItsNumber() {
        ManagedPosthogClient client = this.posthog.client();
        client.logger().trace("t");
        client.logger().debug("d");
        client.logger().info("i");
        client.logger().warn("w");
        client.logger().error("e");
        client.logger().fatal("f");
        List<JsonNode> records = flushAndRead(client, 6);
        assertThat(records).extracting((r) -> r.get("severityNumber").asInt()).containsExactly(1, 5, 9, 13, 17, 21);
        assertThat(records).extracting((r) -> r.get("severityText").asText())
            .containsExactly("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    }

    @Test
    @DisplayName("unknown level falls back to info")
    void unknownLevelFallsBackToInfo() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog(LogOptions.builder("x").level("verbose").build());
        client.captureLog(LogOptions.builder("y").severity(null).build());
        assertThat(flushAndRead(client, 2)).extracting((r) -> r.get("severityNumber").asInt()).containsOnly(9);
    }

    @Test
    @DisplayName("severityNumber is authoritative (the client always sends a positive number)")
    void severityNumberIsAuthoritative() {
        ManagedPosthogClient client = this.posthog.client();
        for (LogSeverity s : LogSeverity.values()) {
            client.captureLog(s, "x", null);
        }
        assertThat(flushAndRead(client, 6)).allSatisfy((r) -> {
            assertThat(r.get("severityNumber").asInt()).isPositive();
            assertThat(LogSeverity.valueOf(r.get("severityText").asText()).number())
                .isEqualTo(r.get("severityNumber").asInt());
        });
    }

    // ---------------------------------------------------------------- record model

    @Test
    @DisplayName("timestamp captured at call time")
    void timestampCapturedAtCallTime() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        long before = System.currentTimeMillis();
        client.captureLog("t1");
        long after = System.currentTimeMillis();
        await().until(() -> System.currentTimeMillis() > after + 100);
        JsonNode record = flushAndRead(client, 1).get(0);
        assertThat(record.get("timeUnixNano").isTextual()).isTrue();
        long nanos = Long.parseLong(record.get("timeUnixNano").asText());
        assertThat(nanos / 1_000_000).isBetween(before, after);
        assertThat(record.get("observedTimeUnixNano").asText()).isEqualTo(record.get("timeUnixNano").asText());
    }

    @Test
    @DisplayName("trace_flags renamed to flags")
    void traceFlagsRenamedToFlags() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog(LogOptions.builder("with flags").traceFlags(0).build());
        client.captureLog(LogOptions.builder("without flags").build());
        List<JsonNode> records = flushAndRead(client, 2);
        assertThat(records.get(0).has("flags")).isTrue();
        assertThat(records.get(0).get("flags").asInt()).isZero();
        assertThat(records.get(0).has("trace_flags")).isFalse();
        assertThat(records.get(1).has("flags")).isFalse();
    }

    @Test
    @DisplayName("absent trace ids omitted")
    void absentTraceIdsOmitted() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog("no trace");
        client.captureLog(LogOptions.builder("bad ids").traceId("abc").spanId("ZZZZZZZZZZZZZZZZ").build());
        client.captureLog(LogOptions.builder("traced")
            .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
            .spanId("00f067aa0ba902b7")
            .build());
        List<JsonNode> records = flushAndRead(client, 3);
        assertThat(records.get(0).has("traceId")).isFalse();
        assertThat(records.get(0).has("spanId")).isFalse();
        assertThat(records.get(1).has("traceId")).isFalse();
        assertThat(records.get(1).has("spanId")).isFalse();
        assertThat(records.get(2).get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(records.get(2).get("spanId").asText()).isEqualTo("00f067aa0ba902b7");
    }

    @Test
    @DisplayName("two logs in the same millisecond")
    void twoLogsInTheSameMillisecond() {
        Clock frozen = Clock.fixed(Instant.parse("2026-01-02T03:04:05.006Z"), ZoneOffset.UTC);
        ManagedPosthogClient client = this.posthog.client((b) -> b.clock(frozen));
        client.captureLog("first");
        client.captureLog("second");
        client.captureLog("third");
        List<JsonNode> records = flushAndRead(client, 3);
        long t1 = Long.parseLong(records.get(0).get("timeUnixNano").asText());
        long t2 = Long.parseLong(records.get(1).get("timeUnixNano").asText());
        long t3 = Long.parseLong(records.get(2).get("timeUnixNano").asText());
        assertThat(t1).isEqualTo(frozen.millis() * 1_000_000);
        assertThat(t2).isGreaterThan(t1);
        assertThat(t3).isGreaterThan(t2);
        assertThat(t3 / 1_000_000).isEqualTo(frozen.millis());
    }

    // ---------------------------------------------------------------- attribute encoding

    @Test
    @DisplayName("integer encoded as string")
    void integerEncodedAsString() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog(LogSeverity.INFO, "x", Map.of("n", 4999, "l", 5_000_000_000L));
        Map<String, JsonNode> attributes = attributes(flushAndRead(client, 1).get(0));
        assertThat(attributes.get("n").toString()).isEqualTo("{\"intValue\":\"4999\"}");
        assertThat(attributes.get("l").toString()).isEqualTo("{\"intValue\":\"5000000000\"}");
    }

    @Test
    @DisplayName("nested object as kvlistValue")
    void nestedObjectAsKvlistValue() {
        ManagedPosthogClient client = this.posthog.client();
        client.captureLog(LogSeverity.INFO, "x", Map.of("obj", Map.of("inner", 1), "list", List.of("a", true, 1.5)));
        Map<String, JsonNode> attributes = attributes(flushAndRead(client, 1).get(0));
        assertThat(attributes.get("obj").toString())
            .isEqualTo("{\"kvlistValue\":{\"values\":[{\"key\":\"inner\",\"value\":{\"intValue\":\"1\"}}]}}");
        assertThat(attributes.get("list").toString()).isEqualTo(
                "{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"boolValue\":true},{\"doubleValue\":1.5}]}}");
    }

    @Test
    @DisplayName("non-finite number as string")
    void nonFiniteNumberAsString() {
        ManagedPosthogClient client = this.posthog.client();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("nan", Double.NaN);
        values.put("inf", Double.POSITIVE_INFINITY);
        values.put("ninf", Float.NEGATIVE_INFINITY);
        values.put("big", BigInteger.TWO.pow(64));
        client.captureLog(LogSeverity.INFO, "x", values);
        Map<String, JsonNode> attributes = attributes(flushAndRead(client, 1).get(0));
        assertThat(attributes.get("nan").toString()).isEqualTo("{\"stringValue\":\"NaN\"}");
        assertThat(attributes.get("inf").toString()).isEqualTo("{\"stringValue\":\"Infinity\"}");
        assertThat(attributes.get("ninf").toString()).isEqualTo("{\"stringValue\":\"-Infinity\"}");
        assertThat(attributes.get("big").toString()).isEqualTo("{\"stringValue\":\"18446744073709551616\"}");
    }

    @Test
    @DisplayName("null value drops the key")
    void nullValueDropsTheKey() {
        ManagedPosthogClient client = this.posthog.client();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("gone", null);
        values.put("kept", "yes");
        client.captureLog(LogSeverity.INFO, "x", values);
        assertThat(attributes(flushAndRead(client, 1).get(0))).containsOnlyKeys("kept");
    }

    // ---------------------------------------------------------------- context

    @Test
    @DisplayName("context snapshot is frozen at capture")
    void contextSnapshotIsFrozenAtCapture() {
        ManagedPosthogClient client = this.posthog.stoppedClient((b) -> b);
        PosthogContext.builder().distinctId("a").sessionId("s-1").run(() -> client.captureLog("while a"));
        PosthogContext.builder().distinctId("b").run(() -> {
            client.start();
            client.flush();
        });
        Map<String, JsonNode> attributes = attributes(flushAndRead(client, 1).get(0));
        assertThat(attributes.get("posthogDistinctId").get("stringValue").asText()).isEqualTo("a");
        assertThat(attributes.get("sessionId").get("stringValue").asText()).isEqualTo("s-1");
    }

    @Test
    @DisplayName("absent session id omits the key")
    void absentSessionIdOmitsTheKey() {
        ManagedPosthogClient client = this.posthog.client();
        PosthogContext.builder().distinctId("a").run(() -> client.captureLog("no session"));
        client.captureLog("no context");
        List<JsonNode> records = flushAndRead(client, 2);
        assertThat(attributes(records.get(0))).containsOnlyKeys("posthogDistinctId");
        assertThat(attributes(records.get(1))).isEmpty();
        assertThat(records.get(1).has("attributes")).isFalse();
    }

    @Test
    @DisplayName("user attribute overrides auto-context")
    void userAttributeOverridesAutoContext() {
        ManagedPosthogClient client = this.posthog.client();
        PosthogContext.builder()
            .distinctId("a")
            .sessionId("from-context")
            .run(() -> client.captureLog(LogSeverity.INFO, "x", Map.of("sessionId", "custom")));
        Map<String, JsonNode> attributes = attributes(flushAndRead(client, 1).get(0));
        assertThat(attributes.get("sessionId").get("stringValue").asText()).isEqualTo("custom");
        assertThat(attributes.get("posthogDistinctId").get("stringValue").asText()).isEqualTo("a");
    }

    /**
     * A client with nothing but the interface's defaults, like the starter's disabled
     * one.
     */
    private static final class NotReadyClient implements io.github.posthog4j.client.PosthogClient {

        @Override
        public String capture(String distinctId, String event) {
            return null;
        }

        @Override
        public String capture(String distinctId, String event, Map<String, ?> properties) {
            return null;
        }

        @Override
        public String capture(io.github.posthog4j.client.CaptureOptions options) {
            return null;
        }

        @Override
        public void identify(String distinctId, Map<String, ?> set, Map<String, ?> setOnce) {
        }

        @Override
        public void set(String distinctId, Map<String, ?> properties) {
        }

        @Override
        public void setOnce(String distinctId, Map<String, ?> properties) {
        }

        @Override
        public void alias(String distinctId, String alias) {
        }

        @Override
        public void groupIdentify(String groupType, String groupKey, Map<String, ?> properties) {
        }

        @Override
        public void register(String key, Object value) {
        }

        @Override
        public void unregister(String key) {
        }

        @Override
        public void optOut() {
        }

        @Override
        public void optIn() {
        }

        @Override
        public boolean isOptedOut() {
            return false;
        }

        @Override
        public int flush() {
            return 0;
        }

        @Override
        public int flush(Duration timeout) {
            return 0;
        }

        @Override
        public void close() {
        }

    }

}
