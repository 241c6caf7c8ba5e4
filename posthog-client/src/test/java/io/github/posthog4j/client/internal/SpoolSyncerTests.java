package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.posthog4j.client.internal.spool.DiskSpool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit: appends are forced to disk by the {@code posthog-spool} thread alone,
 * within the sync interval (what a machine crash can lose), and the thread comes and goes
 * with the work.
 */
class SpoolSyncerTests {

    @TempDir
    Path dir;

    private static void append(DiskSpool disk, int i) {
        byte[] json = ("{\"uuid\":\"" + new UUID(7, i) + "\",\"event\":\"e\",\"pad\":\"" + "x".repeat(500) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        assertThat(disk.append(json, json.length, null)).isEqualTo(DiskSpool.Appended.STORED);
    }

    private static boolean syncerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch((t) -> t.getName().equals("posthog-spool"));
    }

    @Test
    void whenAppendedShouldBeForcedByTheSyncerAloneAndTheThreadShouldEndWhenIdle() {
        try (DiskSpool disk = DiskSpool.open(dir, 16L * 1024 * 1024, 64 * 1024)) {
            SpoolSyncer syncer = new SpoolSyncer(disk, Duration.ofMillis(50));
            append(disk, 1);
            syncer.appended();
            assertThat(syncerAlive()).isTrue();
            assertThat(disk.hasUnsynced()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !disk.hasUnsynced());
            assertThat(syncer.syncedAppends()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !syncerAlive());
            append(disk, 2);
            syncer.appended(); // a new one starts
            await().atMost(Duration.ofSeconds(5)).until(() -> syncer.syncedAppends() == 2);
            syncer.close();
            assertThat(syncerAlive()).isFalse();
        }
    }

    @Test
    void whenQuiescedShouldSyncOnTheCallerAndEndTheThreadAtOnce() {
        try (DiskSpool disk = DiskSpool.open(dir, 16L * 1024 * 1024, 64 * 1024)) {
            SpoolSyncer syncer = new SpoolSyncer(disk, Duration.ofHours(1));
            append(disk, 1);
            syncer.appended();
            syncer.quiesce();
            assertThat(syncerAlive()).isFalse();
            assertThat(disk.hasUnsynced()).isFalse();
            assertThat(syncer.syncedAppends()).isEqualTo(1);
        }
    }

    @Test
    void whenAppendsMoveToTheNextSegmentsShouldFindThemPreparedInTheBackground() throws IOException {
        try (DiskSpool disk = DiskSpool.open(dir, 16L * 1024 * 1024, 64 * 1024)) {
            SpoolSyncer syncer = new SpoolSyncer(disk, Duration.ofHours(1));
            try {
                disk.onHalfFull(syncer::wake);
                append(disk, 0);
                assertThat(segments()).isEqualTo(1);
                syncer.appended();
                // two segments ahead of the appends, made by the posthog-spool thread
                await().atMost(Duration.ofSeconds(5)).until(() -> segments() == 3);
                for (int i = 1; i < 200; i++) { // past the first segment and the middle
                                                // of
                                                // the second
                    append(disk, i);
                }
                // the appends used prepared segments: none of their own (the syncer,
                // woken at the second's middle, may already have refilled)
                assertThat(segments()).isBetween(3L, 4L);
                await().atMost(Duration.ofSeconds(5)).until(() -> segments() == 4); // refilled
            }
            finally {
                syncer.close();
            }
        }
    }

    private long segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter((p) -> p.getFileName().toString().startsWith("segment-")).count();
        }
    }

}
