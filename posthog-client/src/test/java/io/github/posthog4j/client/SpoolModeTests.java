package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.testsupport.LogCapture;
import io.github.posthog4j.testsupport.LogCapture.CapturedLog;
import io.github.posthog4j.testsupport.PosthogExtension;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client with its durable spool on: flush, run-time changes. Crashes are in the
 * faults package.
 */
@ExtendWith(LogCapture.class)
class SpoolModeTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    @TempDir
    Path dir;

    @Test
    void whenFlushedWithTheSpoolOnShouldNotWaitForTheFlushInterval() {
        ManagedPosthogClient client = posthog.builder()
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
    void whenPosthogIsDownShouldKeepEveryCaptureOnDiskNotInTheQueue() {
        posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient client = posthog.builder()
            .spool(dir.resolve("spool"))
            .maxQueueSize(10) // the queue holds no events of its own in spool mode
            .maxRetries(0)
            .buildStopped();
        for (int i = 0; i < 5_000; i++) {
            assertThat(client.capture("u", "burst " + i)).isNotNull();
        }
        assertThat(client.status().queueSize()).isEqualTo(5_000);
        assertThat(client.status().dropped().get(DropReason.QUEUE_FULL)).isZero();
        client.close();

        posthog.server().defaultReply(Reply.ok());
        ManagedPosthogClient next = posthog.builder().spool(dir.resolve("spool")).build();
        next.flush(Duration.ofSeconds(30));
        next.close();
        assertThat(posthog.server().uuidCounts()).hasSize(5_000);
    }

    @Test
    void whenTheSpoolIsFullShouldDropCountWarnOnceAndNeverGrowPastItsLimit(CapturedLog output) throws IOException {
        posthog.server().defaultReply(Reply.status(503));
        long limit = 1024 * 1024;
        ManagedPosthogClient client = posthog.builder()
            .spool(dir.resolve("spool"))
            .spoolMaxBytes(limit)
            .flushInterval(Duration.ofSeconds(30))
            .buildStopped();
        Map<String, Object> props = Map.of("pad", "x".repeat(200));
        int stored = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            if (client.capture("u", "fill " + i, props) != null) {
                stored++;
            }
            else {
                refused++;
            }
        }
        assertThat(stored).isGreaterThan(1_000);
        assertThat(refused).isGreaterThan(10_000);
        assertThat(client.status().dropped().get(DropReason.SPOOL_FULL)).isEqualTo(refused);
        assertThat(client.status().queueSize()).isEqualTo(stored);
        assertThat(directoryBytes(dir.resolve("spool"))).isLessThanOrEqualTo(limit);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("is full"));
        // one WARN for the whole burst (one per flush interval), with the count
        assertThat(output.getAll().split("is full", -1)).hasSize(2);
        assertThat(output.getAll()).contains("dropped 1 events since the last report");
        client.close();
        String rest = "dropped " + (refused - 1) + " events since the last report";
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains(rest));
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter((p) -> p.getFileName().toString().startsWith("segment-")).mapToLong((p) -> {
                try {
                    return Files.size(p);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
    }

    @Test
    void whenACaptureAsksForFlagsNotKnownLocallyShouldAddThemWhenDeliveredEvenAfterARestart() {
        posthog.server()
            .route("/flags", (request) -> Reply.ok()
                .json("{\"flags\": {\"beta\": {\"key\": \"beta\", \"enabled\": true, \"variant\": null}}}"));
        posthog.server().defaultReply(Reply.status(503));
        ManagedPosthogClient client = posthog.builder()
            .spool(dir.resolve("spool"))
            .maxRetries(0)
            .shutdownTimeout(Duration.ofMillis(500))
            .buildStopped();
        String uuid = client.capture(CaptureOptions.builder("user-1", "checkout")
            .property("plan", "pro")
            .group("company", "acme")
            .sendFeatureFlags(FlagOptions.builder().personProperty("email", "a@b.c").build())
            .build());
        assertThat(uuid).isNotNull();
        // never asked on the capturing thread
        assertThat(posthog.server().requests()).noneMatch((r) -> r.path().startsWith("/flags"));
        client.close(); // PostHog answers 503: the event stays in the spool, with its
                        // flag request

        posthog.server().defaultReply(Reply.ok());
        ManagedPosthogClient next = posthog.builder().spool(dir.resolve("spool")).build();
        next.flush(Duration.ofSeconds(10));
        next.close();
        JsonNode event = posthog.server()
            .events()
            .stream()
            .filter((e) -> e.path("uuid").asText().equals(uuid))
            .findFirst()
            .orElseThrow();
        JsonNode properties = event.get("properties");
        assertThat(properties.get("$feature/beta").asBoolean()).isTrue();
        assertThat(properties.get("$active_feature_flags").get(0).asText()).isEqualTo("beta");
        assertThat(properties.get("plan").asText()).isEqualTo("pro");
        assertThat(properties.get("$groups").get("company").asText()).isEqualTo("acme");
        assertThat(event.get("distinct_id").asText()).isEqualTo("user-1");
        JsonNode flagsRequest = posthog.server()
            .requests()
            .stream()
            .filter((r) -> r.path().startsWith("/flags"))
            .reduce((a, b) -> b)
            .orElseThrow()
            .json();
        assertThat(flagsRequest.get("distinct_id").asText()).isEqualTo("user-1");
        assertThat(flagsRequest.get("groups").get("company").asText()).isEqualTo("acme");
        assertThat(flagsRequest.get("person_properties").get("email").asText()).isEqualTo("a@b.c");
    }

    @Test
    void whenStoppedOrClosedShouldLeaveNoSpoolThread() {
        ManagedPosthogClient client = posthog.builder().spool(dir.resolve("spool")).build();
        client.capture("u", "e");
        assertThat(Threads.named("posthog-spool")).hasSize(1);
        client.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
        client.capture("u", "captured while stopped: on disk, and forced by a syncer of its own");
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Threads.named("posthog-").isEmpty());
        assertThat(posthog.server().eventCount()).isEqualTo(2);
    }

    @Test
    void whenSpoolSettingsChangeAtRuntimeShouldWarnAndKeepTheSpoolInUse(CapturedLog output) {
        Path first = dir.resolve("first");
        ManagedPosthogClient client = posthog.builder().spool(first).buildStopped();
        client.reconfigure(posthog.builder().spool(dir.resolve("second")));
        client.capture("u", "still spooled in the first directory");
        client.start();
        client.flush();
        client.close();
        assertThat(output).contains("take effect at the next start").contains(first.toString());
        assertThat(posthog.server().eventCount()).isEqualTo(1);
        assertThat(dir.resolve("second")).doesNotExist();
    }

}
