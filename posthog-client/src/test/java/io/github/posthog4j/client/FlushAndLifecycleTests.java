package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flush(), close(), start()/stop(), reconfigure(): what they wait for, and that they lose
 * nothing.
 */
@ExtendWith(LogCapture.class)
class FlushAndLifecycleTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.withDefaults((b) -> b.flushInterval(Duration.ofSeconds(30)));

    private ManagedPosthogClient client;

    @AfterEach
    void noThreadLeft() {
        if (this.client != null) {
            this.client.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
    }

    @Test
    void whenFlushedWithASlowServerShouldWaitUntilEverythingIsSent() {
        posthog.server().defaultReply(Reply.ok().delayed(Duration.ofMillis(300)));
        client = posthog.client((b) -> b.flushAt(5));
        for (int i = 0; i < 12; i++) {
            client.capture("u", "e" + i);
        }
        assertThat(client.flush()).isEqualTo(12);
        assertThat(posthog.server().eventCount()).isEqualTo(12);
        assertThat(client.status().queueSize()).isZero();
    }

    @Test
    void whenNothingQueuedFlushShouldSendNothing() {
        client = posthog.client();
        assertThat(client.flush()).isZero();
        assertThat(posthog.server().requests()).isEmpty();
    }

    @Test
    void whenFlushTimesOutShouldReturnWhatWasSentAndKeepTheRest() {
        posthog.server().stall();
        client = posthog.client((b) -> b.requestTimeout(Duration.ofSeconds(20)));
        client.capture("u", "stuck");
        long start = System.nanoTime();
        assertThat(client.flush(Duration.ofMillis(300))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        posthog.server().release();
        await().atMost(Duration.ofSeconds(10)).until(() -> posthog.server().eventCount() == 1);
    }

    @Test
    void whenNeverStartedShouldCreateNoThreadAndFlushOnTheCallingThread() {
        client = posthog.stoppedClient((b) -> b);
        client.capture("u", "queued while stopped");
        assertThat(Threads.named("posthog-consumer")).isEmpty();
        assertThat(posthog.server().requests()).isEmpty();
        assertThat(client.flush()).isEqualTo(1);
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(Threads.named("posthog-consumer")).isEmpty();
    }

    @Test
    void whenClosedShouldDrainQueueAndRefuseLaterEvents(CapturedLog output) {
        client = posthog.client((b) -> b.flushAt(1000));
        for (int i = 0; i < 250; i++) {
            client.capture("u", "e" + i);
        }
        client.close();
        assertThat(posthog.server().eventCount()).isEqualTo(250);
        assertThat(Threads.named("posthog-")).isEmpty();
        assertThat(client.capture("u", "late")).isNull();
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("the PostHog client is closed"));
        client.close(); // idempotent
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void whenNeverStartedCloseShouldStillDeliverEverything() {
        client = posthog.stoppedClient((b) -> b);
        for (int i = 0; i < 150; i++) {
            client.capture("u", "e" + i);
        }
        client.close();
        assertThat(posthog.server().eventCount()).isEqualTo(150);
        assertThat(posthog.server().duplicates()).isZero();
    }

    @Test
    void whenClosedWhilePosthogIsDownShouldReturnWithinShutdownTimeoutAndReportLosses(CapturedLog output) {
        posthog.server().defaultReply(Reply.status(503));
        client = posthog.client((b) -> b.shutdownTimeout(Duration.ofSeconds(1))
            .retryInitialBackoff(Duration.ofMillis(100))
            .maxRetries(100));
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
    void whenStopThenCloseDuringAHangShouldShareOneShutdownBudget() {
        posthog.server().stall();
        client = posthog.client((b) -> b.shutdownTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(30))
            .flushInterval(Duration.ofMillis(20)));
        client.capture("u", "hung");
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().batchRequests().size() == 1);
        long start = System.nanoTime();
        client.stop(); // the container's lifecycle stop during shutdown
        client.close(); // then the bean's close
        // one 1 s budget for both, plus at most 1 s to join the interrupted consumer
        // (slack for a loaded
        // machine); without the shared budget close started a request that waited out the
        // 30 s request timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        posthog.server().release();
    }

    @Test
    void whenNeverStartedClientClosesAgainstAHungServerShouldReturnWithinTheShutdownTimeout() {
        posthog.server().stall();
        client = posthog
            .stoppedClient((b) -> b.shutdownTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(30)));
        client.capture("u", "hung");
        long start = System.nanoTime();
        client.close();
        // without the deadline the drain's request waited out the 30 s request timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        posthog.server().release();
    }

    @Test
    void whenCloseRacesAFlushOnTheCallingThreadShouldCountEveryEvent() throws Exception {
        posthog.server().defaultReply(Reply.status(503));
        client = posthog.stoppedClient((b) -> b.shutdownTimeout(Duration.ofSeconds(1))
            .flushTimeout(Duration.ofSeconds(4))
            .maxRetries(100)
            .retryInitialBackoff(Duration.ofMillis(50))
            .retryMaxBackoff(Duration.ofMillis(200)));
        for (int i = 0; i < 10; i++) {
            client.capture("u", "e" + i);
        }
        CompletableFuture<Integer> flush = CompletableFuture.supplyAsync(client::flush);
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().batchRequests().size() >= 2);
        client.close();
        assertThat(flush.get(10, TimeUnit.SECONDS)).isZero();
        PosthogClientStatus status = client.status();
        assertThat(status.dropped().get(DropReason.CLOSED)).isEqualTo(10);
        assertThat(status.queueSize()).isZero();
    }

    @Test
    void whenStoppedShouldKeepQueueAndDeliverAfterStartWithNewThreads() {
        client = posthog.client((b) -> b.flushInterval(Duration.ofMillis(50)));
        client.capture("u", "before stop");
        client.flush();
        List<Thread> first = Threads.named("posthog-consumer");
        assertThat(first).hasSize(PosthogClientBuilder.DEFAULT_CONSUMER_THREADS);
        client.stop();
        assertThat(first).noneMatch(Thread::isAlive);
        assertThat(client.isRunning()).isFalse();
        for (int i = 0; i < 40; i++) {
            client.capture("u", "while stopped " + i);
        }
        assertThat(client.status().queueSize()).isEqualTo(40);
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().eventCount() == 41);
        assertThat(Threads.named("posthog-consumer")).hasSize(PosthogClientBuilder.DEFAULT_CONSUMER_THREADS)
            .doesNotContainAnyElementsOf(first);
        assertThat(client.status().consumerRestarts()).isEqualTo(1);
    }

    @Test
    void whenStoppedDuringRetryBackoffShouldKeepTheBatchAndRetryAfterStart() {
        posthog.server().respondWith(503);
        client = posthog.client((
                b) -> b.retryInitialBackoff(Duration.ofSeconds(20)).retryMaxBackoff(Duration.ofSeconds(20)).flushAt(1));
        client.capture("u", "will wait");
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().batchRequests().size() == 1);
        client.stop();
        assertThat(client.status().queueSize()).isEqualTo(1);
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.server().eventCount() == 1);
        assertThat(client.status().droppedTotal()).isZero();
    }

    @Test
    void whenConsumerThreadsRunShouldBeNamedDaemonsWithoutContextClassLoader() {
        client = posthog.client((b) -> b.consumerThreads(3));
        assertThat(Threads.named("posthog-consumer")).hasSize(3).allSatisfy((t) -> {
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getContextClassLoader()).isNull();
        });
        assertThat(client.status().consumersActive()).isEqualTo(3);
    }

    @Test
    void whenStopAndCloseRaceShouldNeitherHangNorThrow() throws Exception {
        client = posthog.client();
        client.capture("u", "e");
        ExecutorService racers = Executors.newFixedThreadPool(2); // the common pool may
                                                                  // have a single worker
        CompletableFuture<Void> stopper = CompletableFuture.runAsync(client::stop, racers);
        CompletableFuture<Void> closer = CompletableFuture.runAsync(client::close, racers);
        racers.shutdown();
        CompletableFuture.allOf(stopper, closer).get(20, TimeUnit.SECONDS);
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        client.start(); // no-op once closed
        assertThat(client.isRunning()).isFalse();
    }

    @Test
    void whenFlagsAreReadAfterCloseShouldAnswerDefaultsWithoutRequestOrThread() {
        client = posthog.client();
        client.close();
        assertThat(client.getFeatureFlag("beta", "u")).isNull();
        assertThat(client.isFeatureEnabled("beta", "u", true)).isTrue();
        assertThat(client.evaluateFlags("u").keys()).isEmpty();
        assertThat(posthog.server().requests()).isEmpty();
    }

    @Test
    void whenReconfiguredWithTheSameSettingsShouldDoNothing() {
        java.util.function.Supplier<PosthogClientBuilder> settings = () -> PosthogClient.builder("phc_same")
            .host(posthog.server().url())
            .superProperty("app", "shop");
        client = posthog.track(settings.get().build());
        Thread consumer = Threads.named("posthog-consumer").get(0);
        assertThat(client.reconfigure(settings.get())).isFalse();
        assertThat(consumer.isAlive()).isTrue();
        assertThat(client.reconfigure(settings.get().flushAt(7))).isTrue();
        assertThat(consumer.isAlive()).isFalse();
        assertThat(client.status().consumerRestarts()).isEqualTo(1);
    }

    @Test
    void whenQueueSizeIsReconfiguredDuringCaptureShouldLoseNoAcceptedEvent() throws Exception {
        client = posthog.client((b) -> b.flushInterval(Duration.ofMillis(20)).maxQueueSize(1000));
        Set<String> uuids = ConcurrentHashMap.newKeySet();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService producers = Executors.newFixedThreadPool(3);
        for (int t = 0; t < 3; t++) {
            producers.submit(() -> {
                while (running.get()) {
                    String uuid = client.capture("u", "during reconfigure");
                    if (uuid != null) {
                        uuids.add(uuid);
                    }
                    else {
                        refused.incrementAndGet(); // a full queue at capture: counted
                                                   // queue_full, no uuid
                    }
                }
            });
        }
        for (int i = 0; i < 300; i++) {
            client
                .reconfigure(posthog.builder().flushInterval(Duration.ofMillis(20)).maxQueueSize(500 + (i % 2) * 500));
        }
        running.set(false);
        producers.shutdown();
        assertThat(producers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        client.flush(Duration.ofSeconds(30));
        PosthogClientStatus status = client.status();
        Set<String> missing = new HashSet<>(uuids);
        missing.removeAll(posthog.server().uuidCounts().keySet());
        // every accepted event was delivered; every refusal was counted
        assertThat(status.queueSize()).isZero();
        assertThat(missing).isEmpty();
        assertThat(status.dropped().get(DropReason.QUEUE_FULL)).isEqualTo(refused.get());
        assertThat(status.droppedTotal()).isEqualTo(refused.get());
    }

    @Test
    void whenOptedOutShouldSendNothingThrowNothingAndCountNothing() {
        client = posthog.client((b) -> b.flushInterval(Duration.ofMillis(20)));
        assertThat(client.isOptedOut()).isFalse();
        client.capture("u", "before");
        client.flush();
        client.optOut();
        assertThat(client.isOptedOut()).isTrue();
        assertThat(client.capture("u", "ignored")).isNull();
        assertThat(client.capture(CaptureOptions.builder("u", "ignored too").build())).isNull();
        client.identify("u", java.util.Map.of("a", 1), null);
        client.alias("u", "v");
        client.groupIdentify("company", "acme", null);
        assertThat(client.isFeatureEnabled("beta", "u", true)).isTrue();
        assertThat(client.getFeatureFlag("beta", "u")).isNull();
        assertThat(client.evaluateFlags("u").keys()).isEmpty();
        client.flush();
        assertThat(posthog.server().requests()).hasSize(1);
        assertThat(client.status().droppedTotal()).isZero();
        assertThat(client.status().captured()).isEqualTo(1);
        client.optIn();
        client.capture("u", "after");
        client.flush();
        assertThat(posthog.server().events()).extracting((e) -> e.get("event").asText())
            .containsExactly("before", "after");
    }

    @Test
    void whenBuiltOptedOutShouldStartOptedOut() {
        client = posthog.client((b) -> b.optOut(true));
        assertThat(client.isOptedOut()).isTrue();
        assertThat(client.capture("u", "ignored")).isNull();
        client.flush();
        assertThat(posthog.server().requests()).isEmpty();
    }

    @Test
    void whenDebugIsOnShouldLogDiagnosticsWithoutTrafficOrKeys(CapturedLog output) {
        client = posthog.client((b) -> b.flushInterval(Duration.ofMillis(20)));
        assertThat(client.isDebug()).isFalse();
        client.debug();
        assertThat(client.isDebug()).isTrue();
        assertThat(posthog.server().requests()).isEmpty();
        assertThat(client.status().captured()).isZero();
        String uuid = client.capture("u", "checked out", java.util.Map.of("secret-property", "s3cret"));
        client.flush();
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(output).contains("captured 'checked out' " + uuid)
                .contains("batch attempt 1 -> HTTP 200 (success)"));
        assertThat(output.getAll()).doesNotContain("s3cret").doesNotContain(PosthogExtension.API_KEY);
        client.debug(false);
        assertThat(client.isDebug()).isFalse();
        client.capture("u", "quiet");
        client.flush();
        client.close();
        assertThat(output.getAll()).doesNotContain("captured 'quiet'");
    }

}
