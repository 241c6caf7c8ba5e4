package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.LogCapture;

/** flush(), close(), start()/stop(): what they wait for, and that they lose nothing. */
@ExtendWith(LogCapture.class)
class FlushAndLifecycleTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private ManagedPosthogClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        posthog.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
    }

    private PosthogClientBuilder builder() {
        return PosthogClient.builder("phc_lifecycle").host(posthog.url()).flushInterval(Duration.ofSeconds(30));
    }

    @Test
    void whenFlushedWithASlowServerShouldWaitUntilEverythingIsSent() {
        posthog.defaultReply(Reply.ok().delayed(Duration.ofMillis(300)));
        client = builder().flushAt(5).build();
        for (int i = 0; i < 12; i++) {
            client.capture("u", "e" + i);
        }
        assertThat(client.flush()).isEqualTo(12);
        assertThat(posthog.eventCount()).isEqualTo(12);
        assertThat(client.status().queueSize()).isZero();
    }

    @Test
    void whenNothingQueuedFlushShouldSendNothing() {
        client = builder().build();
        assertThat(client.flush()).isZero();
        assertThat(posthog.requests()).isEmpty();
    }

    @Test
    void whenFlushTimesOutShouldReturnWhatWasSentAndKeepTheRest() {
        posthog.stall();
        client = builder().requestTimeout(Duration.ofSeconds(20)).build();
        client.capture("u", "stuck");
        long start = System.nanoTime();
        assertThat(client.flush(Duration.ofMillis(300))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        posthog.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.eventCount() == 1);
    }

    @Test
    void whenNeverStartedShouldCreateNoThreadAndFlushOnTheCallingThread() {
        client = builder().buildStopped();
        client.capture("u", "queued while stopped");
        assertThat(Threads.named("posthog-consumer")).isEmpty();
        assertThat(posthog.requests()).isEmpty();
        assertThat(client.flush()).isEqualTo(1);
        assertThat(posthog.eventCount()).isEqualTo(1);
        assertThat(Threads.named("posthog-consumer")).isEmpty();
    }

    @Test
    void whenClosedShouldDrainQueueAndRefuseLaterEvents(CapturedLog output) {
        client = builder().flushAt(1000).build();
        for (int i = 0; i < 250; i++) {
            client.capture("u", "e" + i);
        }
        client.close();
        assertThat(posthog.eventCount()).isEqualTo(250);
        assertThat(client.capture("u", "late")).isNull();
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        assertThat(output).contains("the PostHog client is closed");
        client.close(); // idempotent
        assertThat(client.isClosed()).isTrue();
        assertThat(Threads.named("posthog-")).isEmpty();
    }

    @Test
    void whenNeverStartedCloseShouldStillDeliverEverything() {
        client = builder().buildStopped();
        for (int i = 0; i < 150; i++) {
            client.capture("u", "e" + i);
        }
        client.close();
        assertThat(posthog.eventCount()).isEqualTo(150);
        assertThat(posthog.duplicates()).isZero();
    }

    @Test
    void whenClosedWhilePosthogIsDownShouldReturnWithinShutdownTimeoutAndReportLosses(CapturedLog output) {
        posthog.defaultReply(Reply.status(503));
        client = builder().shutdownTimeout(Duration.ofSeconds(1))
            .retryInitialBackoff(Duration.ofMillis(100))
            .maxRetries(100)
            .build();
        for (int i = 0; i < 30; i++) {
            client.capture("u", "e" + i);
        }
        long start = System.nanoTime();
        client.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(30);
        assertThat(output).contains("closed with 30 events undelivered");
    }

    @Test
    void whenStoppedShouldKeepQueueAndDeliverAfterStartWithNewThreads() {
        client = builder().flushInterval(Duration.ofMillis(50)).build();
        client.capture("u", "before stop");
        client.flush();
        Thread first = Threads.named("posthog-consumer").get(0);
        client.stop();
        assertThat(first.isAlive()).isFalse();
        assertThat(client.isRunning()).isFalse();
        for (int i = 0; i < 40; i++) {
            client.capture("u", "while stopped " + i);
        }
        assertThat(client.status().queueSize()).isEqualTo(40);
        assertThat(posthog.eventCount()).isEqualTo(1);
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.eventCount() == 41);
        assertThat(Threads.named("posthog-consumer")).hasSize(1).doesNotContain(first);
        assertThat(client.status().consumerRestarts()).isEqualTo(1);
    }

    @Test
    void whenStoppedDuringRetryBackoffShouldKeepTheBatchAndRetryAfterStart() {
        posthog.respondWith(503);
        client = builder().retryInitialBackoff(Duration.ofSeconds(20))
            .retryMaxBackoff(Duration.ofSeconds(20))
            .flushAt(1)
            .build();
        client.capture("u", "will wait");
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.batchRequests().size() == 1);
        client.stop();
        assertThat(client.status().queueSize()).isEqualTo(1);
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.eventCount() == 1);
        assertThat(client.status().dropped().values()).allMatch(v -> v == 0);
    }

    @Test
    void whenConsumerThreadsRunShouldBeNamedDaemonsWithoutContextClassLoader() {
        client = builder().consumerThreads(3).build();
        assertThat(Threads.named("posthog-consumer")).hasSize(3).allSatisfy(t -> {
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getContextClassLoader()).isNull();
        });
        assertThat(client.status().consumersActive()).isEqualTo(3);
    }

    @Test
    void whenStopAndCloseRaceShouldNeitherHangNorThrow() throws Exception {
        client = builder().build();
        client.capture("u", "e");
        CompletableFuture<Void> stopper = CompletableFuture.runAsync(client::stop);
        CompletableFuture<Void> closer = CompletableFuture.runAsync(client::close);
        CompletableFuture.allOf(stopper, closer).get(20, TimeUnit.SECONDS);
        assertThat(posthog.eventCount()).isEqualTo(1);
        client.start(); // no-op once closed
        assertThat(client.isRunning()).isFalse();
    }

}
