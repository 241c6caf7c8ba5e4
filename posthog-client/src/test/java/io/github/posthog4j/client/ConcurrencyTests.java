package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real threads, real server: exactly-once delivery under concurrent capture and lifecycle
 * churn.
 */
class ConcurrencyTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    private ManagedPosthogClient client;

    private final ExecutorService producers = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() throws InterruptedException {
        producers.shutdownNow();
        producers.awaitTermination(10, TimeUnit.SECONDS);
        if (client != null) {
            client.close();
        }
    }

    private static List<String> newThreads(Set<Thread> baseline) {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(t -> !baseline.contains(t))
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .sorted()
            .toList();
    }

    @Test
    void whenABacklogWaitsShouldSendTwoBatchesAtOnceByDefault() {
        // each request takes 300 ms to answer: one consumer alone would send them at
        // least 300 ms apart
        posthog.server().defaultReply(PosthogStandIn.Reply.ok().delayed(Duration.ofMillis(300)));
        client = posthog.builder().flushAt(100).maxBatchSize(100).build();
        Set<String> uuids = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            uuids.add(client.capture("u" + i, "backlog"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> posthog.server().eventCount() == 1_000);
        assertThat(posthog.server().uuidCounts().keySet()).isEqualTo(uuids);
        assertThat(posthog.server().duplicates()).isZero();
        List<PosthogStandIn.Request> requests = posthog.server().batchRequests();
        // 100 events each (fewer only if the 50 ms flush interval fell due mid-capture)
        assertThat(requests).hasSizeGreaterThanOrEqualTo(10)
            .allSatisfy((r) -> assertThat(r.events()).hasSizeLessThanOrEqualTo(100));
        long overlapping = 0;
        for (int i = 1; i < requests.size(); i++) {
            if (requests.get(i).receivedNanos() - requests.get(i - 1).receivedNanos() < 250_000_000L) {
                overlapping++;
            }
        }
        assertThat(overlapping).as("requests sent while another was unanswered").isGreaterThanOrEqualTo(3);
    }

    @Test
    void whenCapturesTrickleShouldSendFromTheFirstConsumerOnly() {
        Set<String> senders = ConcurrentHashMap.newKeySet();
        client = posthog.builder().flushAt(5).listener(new PosthogClientListener() {
            @Override
            public void onRequest(RequestReport report) {
                senders.add(Thread.currentThread().getName());
            }
        }).build();
        List<Thread> consumers = Threads.named("posthog-consumer");
        assertThat(consumers).hasSize(2);
        Thread first = consumers.stream().filter((t) -> t.getName().endsWith("-1")).findFirst().orElseThrow();
        for (int i = 0; i < 40; i++) {
            client.capture("u", "trickle " + i);
            if (i % 5 == 4) {
                // a trickle: each batch is sent and answered, and the first consumer is
                // back waiting, before the next one fills
                long sent = i + 1;
                await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.status().sent() == sent && first.getState() == Thread.State.TIMED_WAITING);
            }
        }
        assertThat(posthog.server().eventCount()).isEqualTo(40);
        assertThat(senders).containsExactly("posthog-consumer-1");
    }

    @Test
    void whenFourProducersCapture50kEachShouldDeliverEveryEventExactlyOnce() throws Exception {
        int perThread = 50_000;
        client = posthog.builder().maxQueueSize(4 * perThread).flushInterval(Duration.ofMillis(100)).build();
        Set<String> uuids = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            futures.add(producers.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String uuid = client.capture("user-" + (i % 1000), "load test",
                            Map.of("thread", thread, "i", i, "plan", "pro", "path", "/x", "ok", true));
                    assertThat(uuid).isNotNull();
                    uuids.add(uuid);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(2, TimeUnit.MINUTES);
        }
        client.flush(Duration.ofMinutes(2));
        long elapsedNanos = System.nanoTime() - start;
        await().atMost(Duration.ofSeconds(30)).until(() -> posthog.server().eventCount() >= 4 * perThread);

        assertThat(uuids).hasSize(4 * perThread);
        assertThat(posthog.server().uuidCounts().keySet()).isEqualTo(uuids);
        assertThat(posthog.server().duplicates()).isZero();
        assertThat(posthog.server().eventCount()).isEqualTo(4 * perThread);
        assertThat(client.status().droppedTotal()).isZero();
        System.out.printf(
                "[measure] 4 x %d events captured and delivered to the loopback stand-in in %d ms: %.0f events/s (%d requests)%n",
                perThread, TimeUnit.NANOSECONDS.toMillis(elapsedNanos), 4.0 * perThread / (elapsedNanos / 1e9),
                posthog.server().batchRequests().size());
    }

    @Test
    void whenStoppedAndStarted100TimesUnderConcurrentCaptureShouldLoseNothingDuplicateNothingAndLeakNoThread()
            throws Exception {
        client = posthog.builder().maxQueueSize(1_000_000).flushAt(50).flushInterval(Duration.ofMillis(5)).build();
        Set<Thread> baseline = Set.copyOf(Thread.getAllStackTraces().keySet());
        Set<String> uuids = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger nulls = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            futures.add(producers.submit(() -> {
                int i = 0;
                while (running.get()) {
                    String uuid = client.capture("u" + (i++ % 50), "cycling");
                    if (uuid == null) {
                        nulls.incrementAndGet();
                    }
                    else {
                        uuids.add(uuid);
                    }
                    // Load shaping, not timing: keep the backlog bounded so the test
                    // measures churn, not overflow.
                    while ((i & 255) == 0 && running.get() && client.status().queueSize() > 20_000) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        int maxConsumers = 0;
        for (int cycle = 0; cycle < 100; cycle++) {
            client.stop();
            assertThat(Threads.named("posthog-consumer")).isEmpty();
            client.start();
            maxConsumers = Math.max(maxConsumers, Threads.named("posthog-consumer").size());
        }
        running.set(false);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        client.flush(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> posthog.server().eventCount() >= uuids.size());
        client.close();

        assertThat(nulls.get()).isZero();
        assertThat(posthog.server().uuidCounts().keySet()).isEqualTo(uuids);
        assertThat(posthog.server().duplicates()).isZero();
        assertThat(maxConsumers).isEqualTo(PosthogClientBuilder.DEFAULT_CONSUMER_THREADS);
        assertThat(client.status().consumerRestarts()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
        // JDK 17's HttpClient ends its selector thread only once the client is collected;
        // 21+ closes it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            System.gc();
            // Allowed: the test's own threads, and the JDK's one shared CompletableFuture
            // timeout scheduler.
            assertThat(newThreads(baseline)).allMatch(name -> name.startsWith("standin-") || name.startsWith("pool-")
                    || name.startsWith("awaitility") || name.equals("CompletableFutureDelayScheduler"));
        });
        System.out.printf(
                "[measure] 100 stop/start cycles: %d events delivered once each; threads before %d, after %d (new: %s)%n",
                uuids.size(), baseline.size(), Thread.getAllStackTraces().size(), newThreads(baseline));
    }

}
