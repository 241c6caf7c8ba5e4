package io.github.posthog4j.client.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.testsupport.FaultServer;
import io.github.posthog4j.testsupport.FaultServer.Fault;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.LogCapture;

/**
 * Faults injected for real on loopback: a server that is down, never answers, storms
 * 429s, flaps, rejects, resets connections, drips its answer or is a proxy's HTML page.
 * Each scenario counts events captured and received (by uuid), duplicates, losses against
 * what the client counted as dropped, and the slowest {@code capture} call. The table is
 * printed at the end ({@code [faults]} lines) and kept in docs/RELIABILITY.md.
 */
@Tag("faults")
@ExtendWith(LogCapture.class)
class FaultInjectionTests {

    private static final List<String> TABLE = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterAll
    static void printTable() {
        System.out.println(
                "[faults] | scenario | captured | received | duplicates | lost | counted drops | max capture µs |");
        TABLE.forEach(row -> System.out.println("[faults] " + row));
    }

    /** Captures events, timing every call. */
    private static final class Producer {

        final Set<String> uuids = new HashSet<>();

        long maxNanos;

        void capture(ManagedPosthogClient client, int n, String event) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                String uuid = client.capture("user-" + (i % 50), event, Map.of("i", i, "plan", "pro"));
                maxNanos = Math.max(maxNanos, System.nanoTime() - t);
                assertThat(uuid).isNotNull();
                uuids.add(uuid);
            }
        }

    }

    private static PosthogClientBuilder builder(String host) {
        return PosthogClient.builder("phc_faults")
            .host(host)
            .captureProtocol(PosthogExtension.captureProtocolUnderTest())
            .flushAt(50)
            .flushInterval(Duration.ofMillis(50))
            .retryInitialBackoff(Duration.ofMillis(100))
            .retryMaxBackoff(Duration.ofSeconds(2))
            .probeInterval(Duration.ofMillis(200))
            .maxProbeInterval(Duration.ofSeconds(5));
    }

    private static void awaitAll(Producer p, Supplier<Map<String, Integer>> received, Duration atMost) {
        await().atMost(atMost)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> received.get().keySet().containsAll(p.uuids));
    }

    /** Records a row and returns how many captured events never arrived. */
    private static long record(String scenario, Producer p, Map<String, Integer> received, long countedDrops) {
        long got = p.uuids.stream().filter(received::containsKey).count();
        long dup = received.values().stream().filter(c -> c > 1).count();
        long lost = p.uuids.size() - got;
        TABLE.add(String.format("| %s | %d | %d | %d | %d | %d | %d |", scenario, p.uuids.size(), got, dup, lost,
                countedDrops, p.maxNanos / 1000));
        assertThat(p.maxNanos).as("a capture call blocked").isLessThan(Duration.ofMillis(500).toNanos());
        return lost;
    }

    @Test
    void whenConnectionRefusedFor60sShouldLoseNothingWithTheSpool() {
        try (FaultServer server = FaultServer.start()) {
            ManagedPosthogClient client = builder(server.url()).spool(dir.resolve("spool")).build();
            Producer p = new Producer();
            p.capture(client, 200, "before");
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(10));
            server.down();
            long downAt = System.nanoTime();
            // Keep capturing through the whole minute, one burst per second.
            await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                p.capture(client, 40, "during outage");
                return System.nanoTime() - downAt >= Duration.ofSeconds(60).toNanos();
            });
            assertThat(client.status().backingOff()).isTrue();
            server.up();
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(30));
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(record("connection refused 60 s, spool on", p, server.uuidCounts(), drops)).isZero();
            assertThat(drops).isZero();
        }
    }

    /** How PostHog is down in an outage scenario. */
    private enum Outage {

        UNAVAILABLE_503("503"), CONNECTION_REFUSED("connection refused");

        final String label;

        Outage(String label) {
            this.label = label;
        }

        void begin(FaultServer server) {
            if (this == UNAVAILABLE_503) {
                server.plan((n) -> Fault.UNAVAILABLE);
            }
            else {
                server.down();
            }
        }

        void end(FaultServer server) {
            if (this == UNAVAILABLE_503) {
                server.plan((n) -> Fault.OK);
            }
            else {
                server.up();
            }
        }

    }

    /**
     * One outage with the client's default settings and no spool: events captured before,
     * during (in bursts every 100 ms) and after; every one of them must arrive, none may
     * be dropped.
     */
    private void outageLosesNothing(Outage outage, Duration length, int eventsDuring) {
        try (FaultServer server = FaultServer.start()) {
            ManagedPosthogClient client = PosthogClient.builder("phc_faults")
                .host(server.url())
                .captureProtocol(PosthogExtension.captureProtocolUnderTest())
                .build();
            Producer p = new Producer();
            p.capture(client, 100, "before");
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(15));
            outage.begin(server);
            long downAt = System.nanoTime();
            int bursts = (int) (length.toMillis() / 100);
            int[] burst = { 0 };
            await().atMost(length.plusSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
                p.capture(client, eventsDuring / bursts, "during outage");
                return ++burst[0] >= bursts && System.nanoTime() - downAt >= length.toNanos();
            });
            outage.end(server);
            p.capture(client, 100, "after");
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(60));
            long drops = client.status().droppedTotal();
            client.close();
            String scenario = outage.label + " for " + length.toSeconds() + " s, memory only, default settings";
            assertThat(record(scenario, p, server.uuidCounts(), drops)).isZero();
            assertThat(drops).isZero();
        }
    }

    @Test
    void whenPosthogIsDownFor3sWithoutSpoolShouldLoseNothing() throws Exception {
        inParallel(() -> outageLosesNothing(Outage.UNAVAILABLE_503, Duration.ofSeconds(3), 1000),
                () -> outageLosesNothing(Outage.CONNECTION_REFUSED, Duration.ofSeconds(3), 1000));
    }

    @Test
    void whenPosthogIsDownFor60sWithoutSpoolShouldLoseNothing() throws Exception {
        inParallel(() -> outageLosesNothing(Outage.UNAVAILABLE_503, Duration.ofSeconds(60), 6000),
                () -> outageLosesNothing(Outage.CONNECTION_REFUSED, Duration.ofSeconds(60), 6000));
    }

    private static void inParallel(Runnable a, Runnable b) throws Exception {
        // Own threads: the common pool has a single worker on a 2-core machine, which
        // would run them one by one.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(a, pool);
        java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(b, pool);
        pool.shutdown();
        try {
            first.get(5, java.util.concurrent.TimeUnit.MINUTES);
            second.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }
        catch (java.util.concurrent.ExecutionException ex) {
            throw (ex.getCause() instanceof Error err) ? err : new AssertionError(ex.getCause());
        }
    }

    @Test
    void whenServerAcceptsButNeverAnswersShouldDeliverAfterRecovery() {
        try (PosthogStandIn posthog = PosthogStandIn.start()) {
            ManagedPosthogClient client = builder(posthog.url()).spool(dir.resolve("spool"))
                .requestTimeout(Duration.ofSeconds(1))
                .build();
            Producer p = new Producer();
            posthog.stall();
            p.capture(client, 300, "stalled");
            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().consecutiveFailures() >= 4);
            p.capture(client, 300, "still stalled");
            posthog.release();
            awaitAll(p, posthog::uuidCounts, Duration.ofSeconds(30));
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(record("accepts, never answers (read timeout)", p, posthog.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void when429StormWithRetryAfterShouldHonourItAndLoseNothing() {
        try (PosthogStandIn posthog = PosthogStandIn.start()) {
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
            for (int i = 0; i < 3; i++) {
                posthog.respondWith(Reply.status(429).header("Retry-After", "1"));
                posthog.respondWith(Reply.status(429).header("Retry-After", date));
            }
            ManagedPosthogClient client = builder(posthog.url()).spool(dir.resolve("spool")).build();
            Producer p = new Producer();
            p.capture(client, 400, "storm");
            awaitAll(p, posthog::uuidCounts, Duration.ofSeconds(60));
            List<PosthogStandIn.Request> requests = posthog.batchRequests();
            long firstGap = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(firstGap).isGreaterThanOrEqualTo(950);
            assertThat(record("429 storm, Retry-After seconds and date", p, posthog.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void whenEveryOtherRequestFailsShouldLoseNothingEvenWithoutSpool() {
        try (FaultServer server = FaultServer.start()) {
            server.plan(n -> (n % 2 == 1) ? Fault.UNAVAILABLE : Fault.OK);
            ManagedPosthogClient client = builder(server.url()).build();
            Producer p = new Producer();
            p.capture(client, 1000, "flapping");
            client.flush();
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(30));
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(record("5xx flapping (every other request)", p, server.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void when413AboveTenEventsShouldSplitUntilAccepted() {
        try (PosthogStandIn posthog = PosthogStandIn.start()) {
            posthog.route(PosthogExtension.batchPathUnderTest(),
                    r -> r.events().size() > 10 ? Reply.status(413) : Reply.ok());
            ManagedPosthogClient client = builder(posthog.url()).flushAt(200).maxBatchSize(200).buildStopped();
            Producer p = new Producer();
            p.capture(client, 600, "split me");
            client.start();
            awaitAll(p, posthog::uuidCounts, Duration.ofSeconds(30));
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(posthog.batchRequests())
                .allSatisfy(r -> assertThat(r.events().size()).isLessThanOrEqualTo(r.acknowledged() ? 10 : 200));
            assertThat(record("413 for batches over 10 events", p, posthog.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void whenOneBatchIsPoisonedShouldDropOnlyThatBatchCountedRejected() {
        try (PosthogStandIn posthog = PosthogStandIn.start()) {
            posthog.respondWith(200, 200, 400);
            ManagedPosthogClient client = builder(posthog.url()).flushAt(50).maxBatchSize(50).buildStopped();
            Producer p = new Producer();
            p.capture(client, 250, "poison");
            client.start();
            client.flush();
            long rejected = client.status().dropped().get(DropReason.REJECTED);
            client.close();
            long lost = record("400 for one poisoned batch", p, posthog.uuidCounts(), rejected);
            assertThat(rejected).isEqualTo(50);
            assertThat(lost).isEqualTo(rejected);
            assertThat(posthog.batchRequests()).hasSize(5);
        }
    }

    @Test
    void whenConnectionIsResetMidBodyShouldRetryAndLoseNothing() {
        try (FaultServer server = FaultServer.start()) {
            server.plan(n -> (n <= 3) ? Fault.RESET_MID_BODY : Fault.OK);
            ManagedPosthogClient client = builder(server.url()).build();
            Producer p = new Producer();
            p.capture(client, 500, "reset");
            client.flush();
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(30));
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(record("connection reset mid-body (3 times)", p, server.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void whenResponsesDripSlowlyShouldWaitWithinTheTimeoutAndLoseNothing() {
        try (FaultServer server = FaultServer.start()) {
            server.plan(n -> Fault.SLOW_DRIP).dripMillis(1500);
            ManagedPosthogClient client = builder(server.url()).requestTimeout(Duration.ofSeconds(5)).build();
            Producer p = new Producer();
            p.capture(client, 300, "drip");
            client.flush();
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(60));
            long drops = client.status().droppedTotal();
            assertThat(client.status().retries()).isZero();
            client.close();
            assertThat(record("slow drip response (1.5 s)", p, server.uuidCounts(), drops)).isZero();
        }
    }

    @Test
    void whenAProxyAnswersHtmlWith200ShouldCountSentAndWarn(CapturedLog output) {
        try (FaultServer server = FaultServer.start()) {
            server.plan(n -> Fault.HTML_200);
            ManagedPosthogClient client = builder(server.url()).build();
            Producer p = new Producer();
            p.capture(client, 100, "html");
            assertThat(client.flush()).isEqualTo(100);
            long drops = client.status().droppedTotal();
            client.close();
            assertThat(record("proxy answers HTML with 200 (counted sent, WARN)", p, server.uuidCounts(), drops))
                .isZero();
            await().untilAsserted(() -> assertThat(output).contains("answered 200 with an HTML page"));
        }
    }

    @Test
    void whenClosedWhilePosthogIsDownShouldReturnInTimeAndKeepEventsInTheSpool(CapturedLog output) {
        Path spool = dir.resolve("spool");
        try (FaultServer server = FaultServer.start()) {
            server.down();
            ManagedPosthogClient client = builder(server.url()).spool(spool)
                .shutdownTimeout(Duration.ofSeconds(2))
                .build();
            Producer p = new Producer();
            p.capture(client, 300, "closing while down");
            long start = System.nanoTime();
            client.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(output).contains("300 events undelivered; they stay in the spool");

            server.up();
            ManagedPosthogClient next = builder(server.url()).spool(spool).build();
            next.flush();
            awaitAll(p, server::uuidCounts, Duration.ofSeconds(30));
            long drops = next.status().droppedTotal();
            next.close();
            assertThat(record("closed while down, spool on; next start delivers", p, server.uuidCounts(), drops))
                .isZero();
        }
    }

    static List<String> table() {
        return new ArrayList<>(TABLE);
    }

}
