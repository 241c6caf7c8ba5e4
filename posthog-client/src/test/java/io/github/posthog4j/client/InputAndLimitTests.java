package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.LogCapture;

/** Bad input drops that event only, with a WARN and a count; byte and queue limits. */
@ExtendWith(LogCapture.class)
class InputAndLimitTests {

    private static final String KEY = "phc_input_secret_key";

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension
        .withDefaults((b) -> b.apiKey(KEY).flushInterval(Duration.ofMillis(20)));

    private ManagedPosthogClient client;

    private PosthogClientBuilder builder() {
        return this.posthog.builder();
    }

    private long dropped(DropReason reason) {
        return client.status().dropped().get(reason);
    }

    @Test
    void whenEventNameMissingShouldDropThatEventOnlyWithWarn(CapturedLog output) {
        client = this.posthog.track(builder().build());
        assertThat(client.capture("u", null)).isNull();
        assertThat(client.capture("u", "  ")).isNull();
        assertThat(client.capture(null)).isNull();
        client.capture("u", "fine");
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText()).containsExactly("fine");
        assertThat(dropped(DropReason.INVALID)).isEqualTo(3);
        await()
            .untilAsserted(() -> assertThat(output).contains("null or blank event name").doesNotContain("Exception"));
    }

    @Test
    void whenPersonCallsLackIdsShouldDropWithWarn(CapturedLog output) {
        client = this.posthog.track(builder().build());
        client.identify(null, Map.of("a", 1), null);
        client.alias("user", " ");
        client.alias(null, "x");
        client.groupIdentify("company", null, Map.of());
        client.groupIdentify(null, "acme", Map.of());
        client.set("", Map.of("a", 1));
        client.setOnce(null, Map.of("a", 1));
        client.capture("u", "fine");
        client.flush();
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(dropped(DropReason.INVALID)).isEqualTo(7);
        await().untilAsserted(() -> assertThat(output).contains("identify() needs a distinct id"));
    }

    @Test
    void whenPropertyCannotBeSerialisedShouldDropOnlyThatEvent(CapturedLog output) {
        client = this.posthog.track(builder().flushAt(3).build());
        client.capture("u", "before");
        client.capture("u", "broken", Map.of("thing", new Unserialisable()));
        client.capture("u", "after");
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText())
            .containsExactly("before", "after");
        assertThat(dropped(DropReason.INVALID)).isEqualTo(1);
        await().untilAsserted(
                () -> assertThat(output).contains("Dropped event 'broken'").contains("cannot be serialised"));
    }

    @Test
    void whenPropertiesContainACycleShouldDropOnlyThatEvent(CapturedLog output) {
        client = this.posthog.track(builder().flushAt(2).build());
        Map<String, Object> cyclic = new HashMap<>();
        List<Object> list = new ArrayList<>();
        list.add(cyclic);
        cyclic.put("self", list);
        client.capture("u", "cyclic", Map.of("loop", cyclic));
        client.capture("u", "fine");
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText()).containsExactly("fine");
        assertThat(dropped(DropReason.INVALID)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(output).contains("reference cycle"));
    }

    @Test
    void whenEventExceedsByteLimitShouldDropItAsTooLarge(CapturedLog output) {
        client = this.posthog.track(builder().maxEventBytes(2048).flushAt(2).build());
        client.capture("u", "huge", Map.of("blob", "x".repeat(5000)));
        client.capture("u", "small");
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText()).containsExactly("small");
        assertThat(dropped(DropReason.TOO_LARGE)).isEqualTo(1);
        await().untilAsserted(
                () -> assertThat(output).contains("over the limit of 2048 bytes").doesNotContain("xxxxxxxxxx"));
    }

    @Test
    void whenDefaultEventLimitShouldAcceptJustUnder900KiB() {
        client = this.posthog.track(builder().flushAt(2).build());
        client.capture("u", "big", Map.of("blob", "y".repeat(900 * 1024 - 500)));
        client.capture("u", "too big", Map.of("blob", "y".repeat(900 * 1024 + 10)));
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText()).containsExactly("big");
        assertThat(dropped(DropReason.TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void whenBatchExceedsByteLimitShouldSplitIntoRequestsUnderTheLimit() {
        int limit = 64 * 1024;
        client = this.posthog
            .track(builder().maxBatchBytes(limit).maxEventBytes(16 * 1024).flushAt(40).compression(false).build());
        for (int i = 0; i < 40; i++) {
            client.capture("u", "e" + i, Map.of("pad", "z".repeat(8000)));
        }
        assertThat(client.flush()).isEqualTo(40);
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        assertThat(requests).hasSizeGreaterThan(4);
        assertThat(requests).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(limit));
        assertThat(posthog.server().uuidCounts()).hasSize(40);
        List<String> order = new ArrayList<>();
        posthog.server().events().forEach(e -> order.add(e.get("event").asText()));
        assertThat(order).first().isEqualTo("e0");
        assertThat(order).last().isEqualTo("e39");
    }

    @Test
    void whenQueueFullShouldDropNewestCountAndWarnOnceWithCount(CapturedLog output) {
        client = this.posthog.track(builder().maxQueueSize(10).buildStopped());
        for (int i = 0; i < 25; i++) {
            client.capture("u", "e" + i);
        }
        assertThat(dropped(DropReason.QUEUE_FULL)).isEqualTo(15);
        assertThat(client.status().queueSize()).isEqualTo(10);
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText())
            .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        client.close();
        String out = output.getAll();
        int warnings = out.split("The PostHog queue is full", -1).length - 1;
        assertThat(warnings).isBetween(1, 2);
        assertThat(out).containsPattern("dropped \\d+ events since the last report");
    }

    @Test
    void whenHooksChainedShouldEachSeeThePreviousOutputInOrder() {
        List<String> seen = new ArrayList<>();
        client = this.posthog.track(builder().superProperty("super", "s").beforeSend(e -> {
            seen.add("first:" + e.properties().get("step"));
            e.properties().put("step", "one");
            e.properties().remove("email");
            return e;
        }).beforeSend(e -> {
            seen.add("second:" + e.properties().get("step"));
            e.setEvent(e.event() + " (scrubbed)");
            return e;
        }).build());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("email", "a@example.com");
        props.put("step", "zero");
        client.capture("u", "signup", props);
        client.flush();
        assertThat(seen).containsExactly("first:zero", "second:one");
        JsonNode event = posthog.server().events().get(0);
        assertThat(event.get("event").asText()).isEqualTo("signup (scrubbed)");
        assertThat(event.get("properties").has("email")).isFalse();
        assertThat(event.get("properties").get("step").asText()).isEqualTo("one");
        assertThat(event.get("properties").get("super").asText()).isEqualTo("s");
    }

    @Test
    void whenHookReturnsNullShouldDropAndStopTheChain() {
        List<String> calls = new ArrayList<>();
        client = this.posthog.track(builder().beforeSend(e -> e.event().equals("secret") ? null : e).beforeSend(e -> {
            calls.add(e.event());
            return e;
        }).build());
        client.capture("u", "secret");
        client.capture("u", "public");
        client.flush();
        assertThat(calls).containsExactly("public");
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(dropped(DropReason.BEFORE_SEND)).isEqualTo(1);
    }

    @Test
    void whenHookThrowsShouldFailClosedDropWarnAndNotReachTheCaller(CapturedLog output) {
        client = this.posthog.track(builder().beforeSend(e -> {
            if (e.properties().containsKey("boom")) {
                throw new IllegalStateException("scrubber broke on " + e.properties().get("boom"));
            }
            return e;
        }).build());
        assertThatNoException().isThrownBy(() -> client.capture("u", "bad", Map.of("boom", "pii-value")));
        client.capture("u", "good");
        client.flush();
        assertThat(posthog.server().events()).extracting(e -> e.get("event").asText()).containsExactly("good");
        assertThat(dropped(DropReason.BEFORE_SEND)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(output).contains("before-send hook")
            .contains("IllegalStateException")
            .doesNotContain("pii-value"));
    }

    @Test
    void whenInvalidUuidGivenShouldGenerateOne() {
        client = this.posthog.track(builder().build());
        String uuid = client.capture(CaptureOptions.builder("u", "e").uuid("not-a-uuid").build());
        client.flush();
        assertThat(uuid).isNotEqualTo("not-a-uuid");
        assertThat(posthog.server().events().get(0).get("uuid").asText()).isEqualTo(uuid);
    }

    @Test
    void whenBadSettingsShouldThrowNamingTheSettingWithoutTheKey() {
        assertThat(settingError(PosthogClient.builder(null))).isEqualTo("apiKey");
        assertThat(settingError(PosthogClient.builder(" "))).isEqualTo("apiKey");
        assertThat(settingError(PosthogClient.builder(KEY).host("ftp://example.com"))).isEqualTo("host");
        assertThat(settingError(PosthogClient.builder(KEY).host("not a url"))).isEqualTo("host");
        assertThat(settingError(PosthogClient.builder(KEY).flushAt(0))).isEqualTo("flushAt");
        assertThat(settingError(PosthogClient.builder(KEY).maxRetries(-1))).isEqualTo("maxRetries");
        assertThat(settingError(PosthogClient.builder(KEY).flushInterval(Duration.ZERO))).isEqualTo("flushInterval");
        assertThat(settingError(PosthogClient.builder(KEY).consumerThreads(0))).isEqualTo("consumerThreads");
    }

    private static String settingError(PosthogClientBuilder b) {
        try {
            b.buildStopped().close();
            return "none";
        }
        catch (PosthogConfigurationException ex) {
            assertThat(ex.getMessage()).doesNotContain(KEY);
            return ex.setting();
        }
    }

    @Test
    void whenPrintedShouldNeverShowTheApiKey(CapturedLog output) {
        PosthogClientBuilder b = builder();
        client = b.build();
        client.capture("u", "e");
        client.flush();
        assertThat(b.toString()).doesNotContain(KEY);
        assertThat(io.github.posthog4j.client.internal.ClientSettings.of(b).toString()).doesNotContain(KEY);
        assertThat(client.toString()).doesNotContain(KEY);
        assertThat(client.status().toString()).doesNotContain(KEY);
        client.close();
        assertThat(output.getAll()).doesNotContain(KEY);
    }

    @Test
    void whenHostIsPlainHttpToARemoteHostShouldWarnOnce(CapturedLog output) {
        PosthogClient.builder(KEY).host("http://posthog.example.com").buildStopped().close();
        PosthogClient.builder(KEY).host("http://localhost:9").buildStopped().close();
        PosthogClient.builder(KEY).host("http://127.0.0.1:9").buildStopped().close();
        PosthogClient.builder(KEY).host("https://eu.i.posthog.com").buildStopped().close();
        String out = output.getAll();
        assertThat(out.split("uses plain http", -1)).hasSize(2);
        assertThat(out).contains("http://posthog.example.com uses plain http").doesNotContain(KEY);
    }

    /** No properties Jackson can see, and a getter that throws. */
    static final class Unserialisable {

        public Object getValue() {
            throw new UnsupportedOperationException("no");
        }

    }

}
