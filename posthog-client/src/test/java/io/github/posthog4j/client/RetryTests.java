package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which failures are retried, how long the client waits, and what it keeps identical
 * across attempts.
 */
class RetryTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.flushInterval(Duration.ofMillis(20))
        .retryInitialBackoff(Duration.ofMillis(20))
        .retryMaxBackoff(Duration.ofMillis(200))
        .probeInterval(Duration.ofMillis(40)));

    private ManagedPosthogClient client;

    private PosthogClientBuilder builder() {
        return this.posthog.builder();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 408, 429, 500, 502, 503, 504 })
    void whenRetryableStatusShouldRetryAndDeliver(int status) {
        posthog.server().respondWith(status, status);
        client = this.posthog.track(builder().build());
        client.capture("u", "e");
        assertThat(client.flush()).isEqualTo(1);
        assertThat(posthog.server().batchRequests()).hasSize(3);
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(client.status().retries()).isEqualTo(2);
        assertThat(posthog.reports()).extracting(RequestReport::attempt).containsExactly(1, 2, 3);
        assertThat(posthog.reports()).extracting(RequestReport::statusCode).containsExactly(status, status, 200);
    }

    @Test
    void whenConnectionDropsShouldRetryAsIoError() {
        posthog.server().respondWith(0);
        client = this.posthog.track(builder().build());
        client.capture("u", "e");
        assertThat(client.flush()).isEqualTo(1);
        assertThat(posthog.reports().get(0).statusCode()).isZero();
        assertThat(posthog.reports().get(0).outcome()).isEqualTo(RequestReport.Outcome.RETRYABLE_ERROR);
        assertThat(posthog.reports().get(0).error()).isNotBlank();
    }

    @Test
    void whenServerIsDownShouldRetryThenKeepTheEventQueuedAndFlushShouldReturn() {
        PosthogStandIn dead = PosthogStandIn.start();
        String url = dead.url();
        dead.close();
        client = this.posthog.track(PosthogClient.builder("phc_retry")
            .host(url)
            .maxRetries(1)
            .retryInitialBackoff(Duration.ofMillis(10))
            .build());
        client.capture("u", "e");
        assertThat(client.flush()).isZero();
        PosthogClientStatus status = client.status();
        assertThat(status.droppedTotal()).isZero();
        assertThat(status.queueSize()).isEqualTo(1);
        assertThat(status.backingOff()).isTrue();
        assertThat(status.lastError()).isNotBlank();
        assertThat(status.consecutiveFailures()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 400, 401, 403 })
    void whenClientErrorShouldNotRetryAndCountRejected(int status) {
        posthog.server().respondWith(status);
        client = this.posthog.track(builder().build());
        client.capture("u", "e");
        client.flush();
        assertThat(posthog.server().batchRequests()).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
        assertThat(client.status().retries()).isZero();
    }

    @Test
    void whenSingleEvent413ShouldNotRetry() {
        posthog.server().respondWith(413);
        client = this.posthog.track(builder().build());
        client.capture("u", "e");
        client.flush();
        assertThat(posthog.server().batchRequests()).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    void when413ForABatchShouldSplitAndResendBothHalves() {
        posthog.server().respondWith(413);
        client = this.posthog.track(builder().flushAt(10).flushInterval(Duration.ofMinutes(1)).build());
        for (int i = 0; i < 10; i++) {
            client.capture("u", "e" + i);
        }
        assertThat(client.flush()).isEqualTo(10);
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).events()).hasSize(10);
        assertThat(requests.get(1).events()).hasSize(5);
        assertThat(requests.get(2).events()).hasSize(5);
        assertThat(posthog.server().uuidCounts()).hasSize(10);
        assertThat(posthog.server().duplicates()).isZero();
    }

    @Test
    void whenRetryingShouldKeepUuidAndTimestampIdentical() {
        posthog.server().respondWith(503, 503);
        client = this.posthog.track(builder().flushAt(3).build());
        client.capture("u", "a");
        client.capture("u", "b");
        client.capture("u", "c");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        assertThat(requests).hasSize(3);
        List<JsonNode> first = requests.get(0).events();
        for (PosthogStandIn.Request r : requests) {
            List<JsonNode> events = r.events();
            assertThat(events).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(events.get(i).get("uuid")).isEqualTo(first.get(i).get("uuid"));
                assertThat(events.get(i).get("timestamp")).isEqualTo(first.get(i).get("timestamp"));
            }
        }
    }

    @Test
    void whenRetryAfterSecondsShouldWaitAtLeastThatLong() {
        posthog.server().respondWith(Reply.status(429).header("Retry-After", "1"));
        client = this.posthog.track(builder().retryMaxBackoff(Duration.ofSeconds(5)).build());
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        assertThat(requests).hasSize(2);
        long gapMillis = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void whenRetryAfterHttpDateShouldWaitUntilThen() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        posthog.server().respondWith(Reply.status(503).header("Retry-After", date));
        client = this.posthog.track(builder().retryMaxBackoff(Duration.ofSeconds(5)).build());
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        assertThat(requests).hasSize(2);
        long gapMillis = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        // the date has one-second resolution: at least one full second remains
        assertThat(gapMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void whenBackoffAppliesShouldGrowBetweenAttempts() {
        posthog.server().respondWith(503, 503, 503);
        client = this.posthog.track(
                builder().retryInitialBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofSeconds(2)).build());
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> r = posthog.server().batchRequests();
        assertThat(r).hasSize(4);
        long first = (r.get(1).receivedNanos() - r.get(0).receivedNanos()) / 1_000_000;
        long third = (r.get(3).receivedNanos() - r.get(2).receivedNanos()) / 1_000_000;
        assertThat(first).isGreaterThanOrEqualTo(50); // half of 100 ms at least (jitter)
        assertThat(third).isGreaterThanOrEqualTo(200); // half of 400 ms at least
    }

    @Test
    void whenRetriesAreUsedShouldKeepTheBatchAtTheHeadAndProbeUntilPosthogAnswers() {
        posthog.server().defaultReply(Reply.status(503));
        client = this.posthog.track(builder().maxRetries(3).build());
        String first = client.capture("u", "first");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().backingOff());
        assertThat(posthog.reports("batch").subList(0, 4)).extracting(RequestReport::attempt)
            .containsExactly(1, 2, 3, 4);

        for (int i = 0; i < 20; i++) {
            client.capture("u", "during outage " + i);
        }
        // Probes carry the oldest batch, one attempt each; nothing is dropped while
        // PostHog is down.
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.server().batchRequests().size() >= 7);
        for (PosthogStandIn.Request probe : posthog.server().batchRequests().subList(4, 7)) {
            assertThat(probe.events().get(0).get("uuid").asText()).isEqualTo(first);
        }
        assertThat(client.status().droppedTotal()).isZero();
        assertThat(client.status().queueSize()).isEqualTo(21);

        posthog.server().defaultReply(Reply.ok());
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.server().eventCount() == 21);
        assertThat(client.status().backingOff()).isFalse();
        assertThat(posthog.server().duplicates()).isZero();
        assertThat(posthog.server().events().get(0).get("uuid").asText()).isEqualTo(first);
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void whenProbingShouldPauseLongerEachTimeUpToTheCap() {
        posthog.server().defaultReply(Reply.status(503));
        client = this.posthog.track(builder().maxRetries(0)
            .probeInterval(Duration.ofMillis(50))
            .maxProbeInterval(Duration.ofMillis(400))
            .build());
        client.capture("u", "e");
        await().atMost(Duration.ofSeconds(20)).until(() -> posthog.server().batchRequests().size() >= 7);
        List<PosthogStandIn.Request> r = posthog.server().batchRequests();
        // pauses: 50, 100, 200, 400, 400 ms (jitter-free), each at least that long
        long[] expected = { 50, 100, 200, 400, 400 };
        for (int i = 0; i < expected.length; i++) {
            long gap = (r.get(i + 1).receivedNanos() - r.get(i).receivedNanos()) / 1_000_000;
            assertThat(gap).as("pause before probe %d", i + 1).isGreaterThanOrEqualTo(expected[i] - 5);
            assertThat(gap).as("pause before probe %d", i + 1).isLessThan(expected[i] + 2_000);
        }
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void whenAProbeGetsRetryAfterShouldWaitThatLongWithinTheCap() {
        posthog.server().defaultReply(Reply.status(503));
        client = this.posthog.track(builder().maxRetries(0)
            .probeInterval(Duration.ofMillis(20))
            .maxProbeInterval(Duration.ofSeconds(5))
            .build());
        client.capture("u", "e");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().backingOff());
        posthog.server().defaultReply(Reply.status(429).header("Retry-After", "1"));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> posthog.reports("batch").stream().filter((r) -> r.statusCode() == 429).count() >= 2);
        List<RequestReport> reports = posthog.reports("batch");
        List<PosthogStandIn.Request> r = posthog.server().batchRequests();
        int first429 = 0;
        while (reports.get(first429).statusCode() != 429) {
            first429++;
        }
        long gap = (r.get(first429 + 1).receivedNanos() - r.get(first429).receivedNanos()) / 1_000_000;
        assertThat(gap).isGreaterThanOrEqualTo(950);
        posthog.server().defaultReply(Reply.ok());
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.server().eventCount() == 1);
    }

    @Test
    void whenFlushedDuringALastingOutageShouldReturnWithoutThrowingAndKeepTheEvents() {
        posthog.server().defaultReply(Reply.status(503));
        client = this.posthog.track(builder().maxRetries(1).build());
        client.capture("u", "kept");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().backingOff());
        long start = System.nanoTime();
        assertThat(client.flush(Duration.ofSeconds(20))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(client.status().queueSize()).isEqualTo(1);
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void whenAnOutageHitsOneChunkShouldKeepEveryChunkOfTheBatchQueued() {
        posthog.server().defaultReply(Reply.status(503));
        client = this.posthog.track(builder().maxBatchBytes(64 * 1024)
            .maxEventBytes(32 * 1024)
            .flushAt(10)
            .compression(false)
            .retryInitialBackoff(Duration.ofMillis(10))
            .maxProbeInterval(Duration.ofSeconds(5))
            .buildStopped());
        for (int i = 0; i < 10; i++) {
            client.capture("u", "big " + i, java.util.Map.of("pad", "x".repeat(20_000)));
        }
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().backingOff());
        // the first chunk (64 KiB holds 3 of these events) used its retries; the other
        // chunks were not tried
        assertThat(posthog.server().batchRequests()).allSatisfy((r) -> assertThat(r.events()).hasSizeLessThan(4));
        assertThat(client.status().droppedTotal()).isZero();
        assertThat(client.status().queueSize()).isEqualTo(10);
        posthog.server().defaultReply(Reply.ok());
        await().atMost(Duration.ofSeconds(15)).until(() -> posthog.server().eventCount() == 10);
        assertThat(posthog.server().duplicates()).isZero();
    }

}
