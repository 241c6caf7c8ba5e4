package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which failures are retried, how long the client waits, and what it keeps identical
 * across attempts.
 */
class RetryTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final List<RequestReport> reports = new CopyOnWriteArrayList<>();

    private ManagedPosthogClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
    }

    private PosthogClientBuilder builder() {
        return PosthogClient.builder("phc_retry")
            .host(posthog.url())
            .flushInterval(Duration.ofMillis(20))
            .retryInitialBackoff(Duration.ofMillis(20))
            .retryMaxBackoff(Duration.ofMillis(200))
            .listener(new PosthogClientListener() {
                @Override
                public void onRequest(RequestReport report) {
                    reports.add(report);
                }
            });
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 408, 429, 500, 502, 503, 504 })
    void whenRetryableStatusShouldRetryAndDeliver(int status) {
        posthog.respondWith(status, status);
        client = builder().build();
        client.capture("u", "e");
        assertThat(client.flush()).isEqualTo(1);
        assertThat(posthog.batchRequests()).hasSize(3);
        assertThat(posthog.eventCount()).isEqualTo(1);
        assertThat(client.status().retries()).isEqualTo(2);
        assertThat(reports).extracting(RequestReport::attempt).containsExactly(1, 2, 3);
        assertThat(reports).extracting(RequestReport::statusCode).containsExactly(status, status, 200);
    }

    @Test
    void whenConnectionDropsShouldRetryAsIoError() {
        posthog.respondWith(0);
        client = builder().build();
        client.capture("u", "e");
        assertThat(client.flush()).isEqualTo(1);
        assertThat(reports.get(0).statusCode()).isZero();
        assertThat(reports.get(0).outcome()).isEqualTo(RequestReport.Outcome.RETRYABLE_ERROR);
        assertThat(reports.get(0).error()).isNotBlank();
    }

    @Test
    void whenServerIsDownShouldRetryConnectionRefused() {
        PosthogStandIn dead = PosthogStandIn.start();
        String url = dead.url();
        dead.close();
        client = PosthogClient.builder("phc_retry")
            .host(url)
            .maxRetries(1)
            .retryInitialBackoff(Duration.ofMillis(10))
            .build();
        client.capture("u", "e");
        assertThat(client.flush()).isZero();
        PosthogClientStatus status = client.status();
        assertThat(status.dropped().get(DropReason.RETRIES_EXHAUSTED)).isEqualTo(1);
        assertThat(status.lastError()).isNotBlank();
        assertThat(status.consecutiveFailures()).isEqualTo(2);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 400, 401, 403 })
    void whenClientErrorShouldNotRetryAndCountRejected(int status) {
        posthog.respondWith(status);
        client = builder().build();
        client.capture("u", "e");
        client.flush();
        assertThat(posthog.batchRequests()).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
        assertThat(client.status().retries()).isZero();
    }

    @Test
    void whenSingleEvent413ShouldNotRetry() {
        posthog.respondWith(413);
        client = builder().build();
        client.capture("u", "e");
        client.flush();
        assertThat(posthog.batchRequests()).hasSize(1);
        assertThat(client.status().dropped().get(DropReason.REJECTED)).isEqualTo(1);
    }

    @Test
    void when413ForABatchShouldSplitAndResendBothHalves() {
        posthog.respondWith(413);
        client = builder().flushAt(10).flushInterval(Duration.ofMinutes(1)).build();
        for (int i = 0; i < 10; i++) {
            client.capture("u", "e" + i);
        }
        assertThat(client.flush()).isEqualTo(10);
        List<PosthogStandIn.Request> requests = posthog.batchRequests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).events()).hasSize(10);
        assertThat(requests.get(1).events()).hasSize(5);
        assertThat(requests.get(2).events()).hasSize(5);
        assertThat(posthog.uuidCounts()).hasSize(10);
        assertThat(posthog.duplicates()).isZero();
    }

    @Test
    void whenRetryingShouldKeepUuidAndTimestampIdentical() {
        posthog.respondWith(503, 503);
        client = builder().flushAt(3).build();
        client.capture("u", "a");
        client.capture("u", "b");
        client.capture("u", "c");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.batchRequests();
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
        posthog.respondWith(Reply.status(429).header("Retry-After", "1"));
        client = builder().retryMaxBackoff(Duration.ofSeconds(5)).build();
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.batchRequests();
        assertThat(requests).hasSize(2);
        long gapMillis = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void whenRetryAfterHttpDateShouldWaitUntilThen() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        posthog.respondWith(Reply.status(503).header("Retry-After", date));
        client = builder().retryMaxBackoff(Duration.ofSeconds(5)).build();
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> requests = posthog.batchRequests();
        assertThat(requests).hasSize(2);
        long gapMillis = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        // the date has one-second resolution: at least one full second remains
        assertThat(gapMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void whenBackoffAppliesShouldGrowBetweenAttempts() {
        posthog.respondWith(503, 503, 503);
        client = builder().retryInitialBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofSeconds(2)).build();
        client.capture("u", "e");
        client.flush();
        List<PosthogStandIn.Request> r = posthog.batchRequests();
        assertThat(r).hasSize(4);
        long first = (r.get(1).receivedNanos() - r.get(0).receivedNanos()) / 1_000_000;
        long third = (r.get(3).receivedNanos() - r.get(2).receivedNanos()) / 1_000_000;
        assertThat(first).isGreaterThanOrEqualTo(50); // half of 100 ms at least (jitter)
        assertThat(third).isGreaterThanOrEqualTo(200); // half of 400 ms at least
    }

    @Test
    void whenRetriesExhaustedShouldCountLogAndKeepLaterEventsQueuedUntilPosthogReturns() {
        posthog.defaultReply(Reply.status(503));
        client = builder().maxRetries(3).build();
        client.capture("u", "doomed");
        await().atMost(Duration.ofSeconds(10))
            .until(() -> client.status().dropped().get(DropReason.RETRIES_EXHAUSTED) == 1);
        assertThat(posthog.batchRequests()).hasSize(4);
        assertThat(client.status().backingOff()).isTrue();

        for (int i = 0; i < 20; i++) {
            client.capture("u", "during outage " + i);
        }
        // Probes keep those events: they are never burned through retries while PostHog
        // is down.
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.batchRequests().size() >= 6);
        assertThat(client.status().dropped().get(DropReason.RETRIES_EXHAUSTED)).isEqualTo(1);
        assertThat(client.status().queueSize()).isEqualTo(20);

        posthog.defaultReply(Reply.ok());
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.eventCount() == 20);
        assertThat(client.status().backingOff()).isFalse();
        assertThat(posthog.duplicates()).isZero();
    }

}
