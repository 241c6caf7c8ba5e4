package io.github.posthog4j.client.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.testsupport.FaultServer;
import io.github.posthog4j.testsupport.FaultServer.Fault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 at a random moment of a flat-out capture: a child JVM ({@link SpoolCrashChild})
 * captures from 2 threads with the spool on and records every uuid that {@code capture}
 * returned; it is killed with SIGKILL after a random delay; a new client on the same
 * directory must then deliver every recorded uuid (those PostHog did not have before the
 * kill), at least once, with the same uuid. PostHog answers, refuses connections, or
 * answers 503 while the child runs; or the child's client is never started (captures
 * before {@code ApplicationReadyEvent} go to disk too).
 *
 * <p>
 * The kill delays come from a seed printed with each kill; replay a run with
 * {@code -Dposthog.crash.seed=<seed>} (and {@code -Dposthog.crash.kills=<n>} kills per
 * scenario, 2 by default).
 */
@Tag("faults")
class SpoolCrashRecoveryTests {

    private static final long SEED = Long.getLong("posthog.crash.seed", System.nanoTime());

    private static final int KILLS = Integer.getInteger("posthog.crash.kills", 2);

    /** The child's spool: small enough that a flat-out capture also runs into it. */
    private static final long SPOOL_BYTES = 32L * 1024 * 1024;

    /**
     * The child's spool in logs mode: the logs spool (a quarter) holds every record the
     * child captures, so that no record it recorded was refused.
     */
    private static final long LOGS_SPOOL_BYTES = 256L * 1024 * 1024;

    /**
     * A restart sends again only what was read and not acknowledged: the batches in
     * flight.
     */
    private static final int DUPLICATES_BOUND = PosthogClientBuilder.DEFAULT_CONSUMER_THREADS
            * PosthogClientBuilder.DEFAULT_MAX_BATCH_SIZE;

    private static final List<String> TABLE = new CopyOnWriteArrayList<>();

    enum Scenario {

        UP("PostHog up (responses drip out over 30 ms)"), REFUSED("PostHog refusing connections"),
        UNAVAILABLE("PostHog answering 503"), NOT_STARTED("engine never started (before ApplicationReadyEvent)");

        final String label;

        Scenario(String label) {
            this.label = label;
        }

    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void whenKilledDuringAFlatOutCaptureShouldDeliverEveryReturnedUuidAfterRestart(Scenario scenario,
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Random seeds = new Random(SEED + scenario.ordinal());
        for (int k = 0; k < KILLS; k++) {
            killAndRecover(scenario, seeds.nextLong(), dir.resolve("kill-" + k), false);
        }
    }

    /**
     * The same for log records (their own spool, {@code <spool>/logs}): every log record
     * whose {@code captureLog} returned before the kill is delivered after the restart.
     */
    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = { "UP", "UNAVAILABLE" })
    void whenKilledDuringAFlatOutLogCaptureShouldDeliverEveryReturnedLogRecordAfterRestart(Scenario scenario,
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Random seeds = new Random(SEED + 100 + scenario.ordinal());
        for (int k = 0; k < KILLS; k++) {
            killAndRecover(scenario, seeds.nextLong(), dir.resolve("kill-" + k), true);
        }
    }

    private void killAndRecover(Scenario scenario, long seed, Path dir, boolean logs) throws Exception {
        long delayMillis = new Random(seed).nextInt(1500);
        long spoolBytes = logs ? LOGS_SPOOL_BYTES : SPOOL_BYTES;
        System.out.printf(
                "[kill] %s%s: kill after %d ms of capture (kill seed %d; replay the run with "
                        + "-Dposthog.crash.seed=%d)%n",
                scenario, logs ? " (log records)" : "", delayMillis, seed, SEED);
        Path spool = dir.resolve("spool");
        Path records = Files.createDirectories(dir.resolve("records"));
        try (FaultServer posthog = FaultServer.start()) {
            switch (scenario) {
                case UP, NOT_STARTED -> posthog.dripMillis(30).plan((n) -> Fault.SLOW_DRIP);
                case REFUSED -> posthog.down();
                case UNAVAILABLE -> posthog.plan((n) -> Fault.UNAVAILABLE);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    SpoolCrashChild.class.getName(), spool.toString(), posthog.url(), records.toString(),
                    String.valueOf(spoolBytes), String.valueOf(scenario != Scenario.NOT_STARTED),
                    logs ? "logs" : "events")
                .redirectErrorStream(true)
                .start();
            // Own threads, not the common pool (a single worker on 2 cores, which any
            // other
            // test may hold).
            ExecutorService reader = Executors.newCachedThreadPool((r) -> {
                Thread t = new Thread(r, "crash-child-output");
                t.setDaemon(true);
                return t;
            });
            try {
                CompletableFuture<String> capturing = CompletableFuture
                    .supplyAsync(() -> readUntil(child, "CAPTURING", reader), reader);
                assertThat(capturing.get(2, TimeUnit.MINUTES)).startsWith("CAPTURING");
                // the random moment of the kill is the point of this test, not a wait for
                // a condition
                Thread.sleep(delayMillis);
            }
            finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.shutdown(); // its drain ends with the child's output
            }
            Set<String> beforeKill = new HashSet<>(posthog.uuidCounts().keySet());
            List<String> returned = recorded(records);
            assertThat(returned).isNotEmpty();

            if (scenario == Scenario.REFUSED) {
                posthog.up();
            }
            posthog.plan((n) -> Fault.OK);
            ManagedPosthogClient recovery = PosthogClient.builder("phc_crash")
                .captureProtocol(io.github.posthog4j.testsupport.PosthogExtension.captureProtocolUnderTest())
                .host(posthog.url())
                .spool(spool)
                .spoolMaxBytes(spoolBytes)
                .flushInterval(Duration.ofMillis(20))
                .logs(LogsConfig.builder().flushInterval(Duration.ofMillis(20)).build())
                .build();
            java.util.function.IntSupplier queued = () -> logs
                    ? recovery.pipelineStatus().get(RequestReport.LOGS).queueSize() : recovery.status().queueSize();
            Set<String> missing = new HashSet<>(returned);
            try {
                missing.removeAll(beforeKill);
                // No check that the restarted client holds something now: a small spool
                // may already be on its way (taken, not yet received), and it may hold
                // nothing when every returned uuid was received before the kill. The
                // flush returns once what it found is acknowledged.
                recovery.flush(Duration.ofMinutes(2));
                // until the restarted client has delivered everything it found
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    missing.removeAll(posthog.uuidCounts().keySet());
                    return missing.isEmpty() || queued.getAsInt() == 0;
                });
                missing.removeAll(posthog.uuidCounts().keySet());
            }
            finally {
                recovery.close();
            }
            Map<String, Integer> received = posthog.uuidCounts();
            long lost = returned.stream().filter((u) -> !received.containsKey(u)).count();
            long afterRestart = returned.stream()
                .filter((u) -> !beforeKill.contains(u) && received.containsKey(u))
                .count();
            long duplicates = received.values().stream().mapToLong((c) -> c - 1).sum();
            String row = String.format("| %s | %d ms | %,d | %,d | %,d | %d | %d |",
                    scenario.label + (logs ? " (log records)" : ""), delayMillis, returned.size(), beforeKill.size(),
                    afterRestart, lost, duplicates);
            TABLE.add(row);
            System.out.println("[measure] " + row);
            assertThat(lost).as("returned uuids that never reached PostHog (%s)", row).isZero();
            assertThat(missing).isEmpty();
            assertThat(duplicates).isLessThanOrEqualTo(DUPLICATES_BOUND);
        }
    }

    @AfterAll
    static void printTable() {
        System.out.println("[measure] kill -9 during a flat-out capture from 2 threads (seed " + SEED + ")");
        System.out.println("[measure] | scenario | killed after | uuids returned before the kill | delivered "
                + "before the kill | delivered after restart | lost | duplicates |");
        TABLE.forEach((row) -> System.out.println("[measure] " + row));
    }

    /**
     * @return the uuids the child's threads recorded: complete lines only (a write cut by
     * the kill has no newline yet)
     */
    private static List<String> recorded(Path records) throws IOException {
        List<String> uuids = new ArrayList<>();
        for (int t = 0; t < SpoolCrashChild.THREADS; t++) {
            try (FileChannel ch = FileChannel.open(records.resolve("uuids-" + t + ".txt"), StandardOpenOption.READ)) {
                ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                byte[] line = new byte[37];
                while (all.remaining() >= 37) {
                    all.get(line);
                    if (line[36] != '\n') {
                        break;
                    }
                    uuids.add(new String(line, 0, 36, StandardCharsets.US_ASCII));
                }
            }
        }
        return uuids;
    }

    private static String readUntil(Process p, String marker, Executor drain) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(marker)) {
                    // keep draining the child's output so it never blocks on a full pipe
                    CompletableFuture.runAsync(() -> r.lines().forEach((l) -> {
                    }), drain);
                    return line;
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("child exited without " + marker + ":\n" + seen);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
