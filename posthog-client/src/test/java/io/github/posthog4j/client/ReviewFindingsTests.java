package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.PosthogStandIn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.LogCapture;

/**
 * Edge cases found in review: flags after close, the shutdown budget, runtime spool
 * changes, empty snapshots.
 */
@ExtendWith(LogCapture.class)
class ReviewFindingsTests {

    private final PosthogStandIn posthog = PosthogStandIn.start();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        posthog.close();
    }

    @Test
    void whenFlagsAreReadAfterCloseShouldAnswerDefaultsWithoutRequestOrThread() {
        ManagedPosthogClient client = PosthogClient.builder("phc_review").host(posthog.url()).build();
        client.close();
        assertThat(client.getFeatureFlag("beta", "u")).isNull();
        assertThat(client.isFeatureEnabled("beta", "u", true)).isTrue();
        assertThat(client.evaluateFlags("u").keys()).isEmpty();
        assertThat(posthog.requests()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> Threads.named("posthog-").isEmpty());
    }

    @Test
    void whenAClientEvaluatesNoFlagsShouldReturnAnEmptySnapshotNotNull() {
        PosthogClient minimal = new PosthogClient() {
            @Override
            public String capture(String distinctId, String event) {
                return null;
            }

            @Override
            public String capture(String distinctId, String event, java.util.Map<String, ?> properties) {
                return null;
            }

            @Override
            public String capture(CaptureOptions options) {
                return null;
            }

            @Override
            public void identify(String distinctId, java.util.Map<String, ?> set, java.util.Map<String, ?> setOnce) {
            }

            @Override
            public void set(String distinctId, java.util.Map<String, ?> properties) {
            }

            @Override
            public void setOnce(String distinctId, java.util.Map<String, ?> properties) {
            }

            @Override
            public void alias(String distinctId, String alias) {
            }

            @Override
            public void groupIdentify(String groupType, String groupKey, java.util.Map<String, ?> properties) {
            }

            @Override
            public void register(String key, Object value) {
            }

            @Override
            public void unregister(String key) {
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
        };
        FeatureFlagEvaluations snapshot = minimal.evaluateFlags("u");
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.distinctId()).isEqualTo("u");
        assertThat(snapshot.isEnabled("anything")).isFalse();
        assertThat(snapshot.getFlag("anything")).isNull();
        assertThat(snapshot.values()).isEmpty();
    }

    @Test
    void whenFlagKeysContainNullShouldIgnoreIt() {
        assertThat(FlagOptions.builder().flagKeys("a", null, " ", "b").build().flagKeys()).containsExactly("a", "b");
    }

    @Test
    void whenStopThenCloseDuringAHangShouldShareOneShutdownBudget() {
        posthog.stall();
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .shutdownTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(30))
            .flushInterval(Duration.ofMillis(20))
            .build();
        client.capture("u", "hung");
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.batchRequests().size() == 1);
        long start = System.nanoTime();
        client.stop(); // the container's lifecycle stop during shutdown
        client.close(); // then the bean's close
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // one 1 s budget for both, plus at most 1 s to join the interrupted consumer
        // (slack for a loaded machine);
        // before the fix close started a request that waited out the 30 s request timeout
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        posthog.release();
    }

    @Test
    void whenNeverStartedClientClosesAgainstAHungServerShouldReturnWithinTheShutdownTimeout() {
        posthog.stall();
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .shutdownTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(30))
            .buildStopped();
        client.capture("u", "hung");
        long start = System.nanoTime();
        client.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // was
                                                                                                   // 30
                                                                                                   // s
                                                                                                   // (the
                                                                                                   // request
                                                                                                   // timeout)
        assertThat(client.status().dropped().get(DropReason.CLOSED)).isEqualTo(1);
        posthog.release();
    }

    @Test
    void whenQueueSizeIsReconfiguredDuringCaptureShouldLoseNothingSilently() throws Exception {
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .flushInterval(Duration.ofMillis(20))
            .maxQueueSize(1000)
            .build();
        java.util.Set<String> uuids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newFixedThreadPool(3);
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
        // small queues: each swap is quick and overflows are frequent, so captures race
        // the swap often
        for (int i = 0; i < 1500; i++) {
            client.reconfigure(PosthogClient.builder("phc_review")
                .host(posthog.url())
                .flushInterval(Duration.ofMillis(20))
                .maxQueueSize(1000 + (i % 2)));
        }
        running.set(false);
        producers.shutdown();
        assertThat(producers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        client.flush(Duration.ofSeconds(30));
        PosthogClientStatus status = client.status();
        client.close();
        java.util.Set<String> missing = new java.util.HashSet<>(uuids);
        missing.removeAll(posthog.uuidCounts().keySet());
        // every captured event was delivered, or dropped after capture and counted
        // (queue_full beyond the refusals)
        assertThat(status.queueSize()).isZero();
        assertThat((long) missing.size()).as(status.toString())
            .isEqualTo(status.dropped().get(DropReason.QUEUE_FULL) - refused.get());
    }

    @Test
    void whenCloseRacesAFlushOnTheCallingThreadShouldCountEveryEvent() throws Exception {
        posthog.defaultReply(PosthogStandIn.Reply.status(503));
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .shutdownTimeout(Duration.ofSeconds(1))
            .flushTimeout(Duration.ofSeconds(4))
            .maxRetries(100)
            .retryInitialBackoff(Duration.ofMillis(50))
            .retryMaxBackoff(Duration.ofMillis(200))
            .buildStopped();
        for (int i = 0; i < 10; i++) {
            client.capture("u", "e" + i);
        }
        java.util.concurrent.CompletableFuture<Integer> flush = java.util.concurrent.CompletableFuture
            .supplyAsync(client::flush);
        await().atMost(Duration.ofSeconds(5)).until(() -> posthog.batchRequests().size() >= 2);
        client.close();
        assertThat(flush.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        PosthogClientStatus status = client.status();
        assertThat(status.dropped().get(DropReason.CLOSED)).isEqualTo(10);
        assertThat(status.queueSize()).isZero();
    }

    @Test
    void whenAnOutageExhaustsOneChunkShouldKeepTheOtherChunksOfTheBatchQueued() {
        posthog.defaultReply(PosthogStandIn.Reply.status(503));
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .maxBatchBytes(64 * 1024)
            .maxEventBytes(32 * 1024)
            .flushAt(10)
            .compression(false)
            .retryInitialBackoff(Duration.ofMillis(10))
            .retryMaxBackoff(Duration.ofSeconds(5))
            .buildStopped();
        for (int i = 0; i < 10; i++) {
            client.capture("u", "big " + i, java.util.Map.of("pad", "x".repeat(20_000)));
        }
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().backingOff());
        long exhausted = client.status().dropped().get(DropReason.RETRIES_EXHAUSTED);
        assertThat(exhausted).isBetween(1L, 3L); // the first chunk only (64 KiB holds 3
                                                 // of these events)
        assertThat(client.status().queueSize()).isEqualTo(10 - (int) exhausted);
        client.close();
    }

    @Test
    void whenFlushedWithTheSpoolOnShouldNotWaitForTheFlushInterval() {
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .spool(dir.resolve("spool"))
            .flushInterval(Duration.ofSeconds(30))
            .build();
        for (int attempt = 0; attempt < 5; attempt++) {
            client.capture("u", "flush me " + attempt);
            assertThat(client.flush(Duration.ofSeconds(5))).isEqualTo(1);
        }
        client.close();
    }

    @Test
    void whenSpoolSettingsChangeAtRuntimeShouldWarnAndKeepTheSpoolInUse(CapturedLog output) {
        Path first = dir.resolve("first");
        ManagedPosthogClient client = PosthogClient.builder("phc_review")
            .host(posthog.url())
            .spool(first)
            .buildStopped();
        client.reconfigure(PosthogClient.builder("phc_review").host(posthog.url()).spool(dir.resolve("second")));
        client.capture("u", "still spooled in the first directory");
        client.start();
        client.flush();
        client.close();
        assertThat(output).contains("take effect at the next start").contains(first.toString());
        assertThat(posthog.eventCount()).isEqualTo(1);
        assertThat(dir.resolve("second")).doesNotExist();
    }

}
