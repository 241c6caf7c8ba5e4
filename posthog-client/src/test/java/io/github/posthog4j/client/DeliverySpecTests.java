package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scenarios of PostHog's cross-SDK specs for delivery (sdk-specs {@code flush},
 * {@code retry-queue}, {@code shutdown}, {@code event-batcher}), one test each, named
 * after the scenario, against the stand-in server.
 */
@ExtendWith(LogCapture.class)
class DeliverySpecTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults(
            (b) -> b.flushInterval(Duration.ofMinutes(1)).retryInitialBackoff(Duration.ofMillis(20)).maxRetries(1));

    private List<String> events() {
        return this.posthog.server().events().stream().map((e) -> e.get("event").asText()).toList();
    }

    // ---------------------------------------------------------------- flush

    @Test
    void flushImmediatelySendsQueuedEvents() {
        ManagedPosthogClient client = posthog.client();
        client.capture("user-123", "First");
        client.capture("user-123", "Second");
        client.flush();
        assertThat(posthog.server().batchRequests()).hasSize(1);
        assertThat(events()).containsExactly("First", "Second");
        assertThat(client.status().queueSize()).isZero();
    }

    @Test
    void flushIsSafeWhenTheQueueIsEmpty() {
        ManagedPosthogClient client = posthog.client();
        assertThatNoException().isThrownBy(client::flush);
        assertThat(posthog.server().requests()).isEmpty();
    }

    @Test
    void flushKeepsEventsRetryableWhenDeliveryFails() {
        posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient client = posthog.client();
        client.capture("user-123", "Save");
        assertThatNoException().isThrownBy(client::flush);
        assertThat(client.status().queueSize()).isEqualTo(1);
        assertThat(client.status().droppedTotal()).isZero();
    }

    // ---------------------------------------------------------------- retry-queue

    @Test
    void retryQueueKeepsEventsAfterTransientFailure() {
        posthog.server().respondWith(503, 503);
        ManagedPosthogClient client = posthog.client();
        client.capture("user-123", "Retry Me");
        client.flush();
        assertThat(events()).isEmpty();
        assertThat(client.status().queueSize()).isEqualTo(1);
    }

    @Test
    void retryQueueDeliversEventsAfterALaterSuccess() {
        posthog.server().respondWith(503, 503);
        ManagedPosthogClient client = posthog.client((b) -> b.probeInterval(Duration.ofMillis(50)));
        client.capture("user-123", "Retry Me");
        client.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> events().contains("Retry Me"));
        assertThat(client.status().queueSize()).isZero();
        assertThat(posthog.server().duplicates()).isZero();
    }

    @Test
    void retryQueueBoundsEventsWhenCapacityIsExceeded(CapturedLog log) {
        ManagedPosthogClient client = posthog.stoppedClient((b) -> b.maxQueueSize(2));
        client.capture("u", "one");
        client.capture("u", "two");
        assertThat(client.capture("u", "three")).isNull();
        assertThat(client.status().queueSize()).isEqualTo(2);
        assertThat(client.status().dropped().get(DropReason.QUEUE_FULL)).isEqualTo(1);
        client.close();
        assertThat(log).contains("The PostHog queue is full (capacity 2, or its heap budget)");
    }

    @Test
    void eventsCapturedWhileAFullQueueIsFlushingArePreservedNotDropped() throws Exception {
        PosthogStandIn server = posthog.server();
        server.stall();
        ManagedPosthogClient client = posthog.client((b) -> b.maxQueueSize(3));
        for (int i = 1; i <= 3; i++) {
            client.capture("u", "initial-" + i);
        }
        Thread flusher = new Thread(client::flush);
        flusher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.batchRequests().size() == 1);
        for (int i = 1; i <= 3; i++) {
            assertThat(client.capture("u", "replacement-" + i)).isNotNull();
        }
        server.release();
        flusher.join(10_000);
        assertThat(server.batchRequests().get(0).events()).extracting((e) -> e.get("event").asText())
            .containsExactly("initial-1", "initial-2", "initial-3");
        client.flush();
        assertThat(events()).containsExactly("initial-1", "initial-2", "initial-3", "replacement-1", "replacement-2",
                "replacement-3");
        assertThat(client.status().droppedTotal()).isZero();
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownFlushesQueuedEventsAndDisablesFutureWork() {
        ManagedPosthogClient client = posthog.client();
        client.capture("user-123", "Save");
        client.close();
        assertThat(events()).containsExactly("Save");
        assertThat(client.status().queueSize()).isZero();
        assertThat(client.isRunning()).isFalse();
        assertThat(Threads.named("posthog-consumer")).isEmpty();
        assertThat(client.capture("user-123", "After Shutdown")).isNull();
        client.flush();
        assertThat(events()).doesNotContain("After Shutdown");
    }

    @Test
    void shutdownIsIdempotent() {
        ManagedPosthogClient client = posthog.client();
        assertThatNoException().isThrownBy(() -> {
            client.close();
            client.close();
        });
        assertThat(client.isRunning()).isFalse();
        client.start();
        assertThat(client.isRunning()).isFalse();
    }

    @Test
    void shutdownHonorsDeliveryFailuresWithoutCrashing(CapturedLog log) {
        posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient client = posthog.client((b) -> b.shutdownTimeout(Duration.ofSeconds(1)));
        client.capture("user-123", "Save");
        assertThatNoException().isThrownBy(client::close);
        assertThat(log).contains("closed with 1 events undelivered");
    }

    // ---------------------------------------------------------------- event-batcher

    @Test
    void batcherFlushesWhenBatchSizeThresholdIsReached() {
        ManagedPosthogClient client = posthog.client((b) -> b.flushAt(2));
        client.capture("u", "First");
        client.capture("u", "Second");
        await().atMost(Duration.ofSeconds(5)).until(() -> events().size() == 2);
        assertThat(posthog.server().batchRequests()).hasSize(1);
        assertThat(events()).containsExactly("First", "Second");
    }

    @Test
    void batcherFlushesWhenIntervalElapses() {
        ManagedPosthogClient client = posthog.client((b) -> b.flushInterval(Duration.ofMillis(200)));
        client.capture("u", "Delayed");
        assertThat(events()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> events().contains("Delayed"));
    }

    @Test
    void batcherPreservesFifoOrderWithinABatch() {
        ManagedPosthogClient client = posthog.client((b) -> b.flushAt(3));
        client.capture("u", "First");
        client.capture("u", "Second");
        client.capture("u", "Third");
        await().atMost(Duration.ofSeconds(5)).until(() -> events().size() == 3);
        assertThat(events()).containsExactly("First", "Second", "Third");
    }

}
