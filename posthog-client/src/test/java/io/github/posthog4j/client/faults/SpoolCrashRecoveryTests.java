package io.github.posthog4j.client.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of delivery: a child JVM captures 100k events with the spool on
 * and is killed with SIGKILL while PostHog is still receiving them; a new client on the
 * same directory delivers every uuid the child was given, at least once.
 */
@Tag("faults")
class SpoolCrashRecoveryTests {

    private static final int EVENTS = 100_000;

    @TempDir
    Path dir;

    @Test
    void whenProcessIsKilledMidFlightShouldDeliverEveryCapturedEventAfterRestart() throws Exception {
        Path spool = dir.resolve("spool");
        Path uuidFile = dir.resolve("uuids.txt");
        try (PosthogStandIn posthog = PosthogStandIn.start()) {
            // Slow PostHog: the child is killed long before it could deliver everything.
            posthog.defaultReply(Reply.ok().delayed(Duration.ofMillis(40)));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    SpoolCrashChild.class.getName(), spool.toString(), posthog.url(), String.valueOf(EVENTS),
                    uuidFile.toString())
                .redirectErrorStream(true)
                .start();
            // Own threads, not the common pool (a single worker on 2 cores, which any
            // other test may hold).
            ExecutorService reader = Executors.newCachedThreadPool((r) -> {
                Thread t = new Thread(r, "crash-child-output");
                t.setDaemon(true);
                return t;
            });
            CompletableFuture<String> spooled = CompletableFuture.supplyAsync(() -> readUntil(child, "SPOOLED", reader),
                    reader);
            try {
                assertThat(spooled.get(2, TimeUnit.MINUTES)).startsWith("SPOOLED");
                await().atMost(Duration.ofMinutes(1)).until(() -> posthog.eventCount() >= 3_000);
            }
            finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            int beforeCrash = posthog.eventCount();
            List<String> captured = Files.readAllLines(uuidFile);
            assertThat(captured).hasSize(EVENTS);
            assertThat(beforeCrash).isLessThan(EVENTS);

            posthog.defaultReply(Reply.ok());
            long start = System.nanoTime();
            ManagedPosthogClient recovery = PosthogClient.builder("phc_crash")
                .captureProtocol(io.github.posthog4j.testsupport.PosthogExtension.captureProtocolUnderTest())
                .host(posthog.url())
                .spool(spool)
                .flushInterval(Duration.ofMillis(20))
                .build();
            try {
                assertThat(recovery.status().queueSize()).isGreaterThan(0);
                recovery.flush(Duration.ofMinutes(2));
                Set<String> missing = new HashSet<>(captured);
                await().atMost(Duration.ofMinutes(1)).until(() -> {
                    missing.removeAll(posthog.uuidCounts().keySet());
                    return missing.isEmpty();
                });
            }
            finally {
                recovery.close();
            }
            long duplicates = posthog.duplicates();
            System.out.printf(
                    "[measure] kill -9: %d captured, %d delivered before the crash, all %d delivered after "
                            + "restart in %d ms, %d duplicates (at least once; same uuids)%n",
                    EVENTS, beforeCrash, EVENTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), duplicates);
            Set<String> notDelivered = new HashSet<>(captured);
            notDelivered.removeAll(posthog.uuidCounts().keySet());
            assertThat(notDelivered).isEmpty();
            // Duplicates are bounded by what was in flight or not yet acknowledged in
            // un-deleted segments.
            assertThat(duplicates).isLessThan(EVENTS / 2);
        }
    }

    private static String readUntil(Process p, String marker, Executor drain) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(marker)) {
                    // keep draining the child's output so it never blocks on a full pipe
                    CompletableFuture.runAsync(() -> r.lines().forEach(l -> {
                    }), drain);
                    return line;
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("child exited without " + marker + ":\n" + seen);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

}
