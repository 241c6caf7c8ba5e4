package io.github.posthog4j.client.internal.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTests {

    @TempDir
    Path dir;

    private static String uuid(int i) {
        return new UUID(0x0190_0000_0000_7000L, i).toString();
    }

    private static byte[] json(int i) {
        return ("{\"event\":\"e" + i + "\",\"pad\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    @Test
    void whenAppendedShouldReadBackInOrderAndDeleteSegmentsOnceAcked() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 2_000)) {
            for (int i = 0; i < 100; i++) {
                assertThat(spool.append(uuid(i), json(i))).isTrue();
            }
            assertThat(spool.unread()).isEqualTo(100);
            assertThat(segments()).hasSizeGreaterThan(5);
            List<SpoolRecord> all = new ArrayList<>();
            List<SpoolRecord> batch;
            while (!(batch = spool.read(30, 1_000_000)).isEmpty()) {
                all.addAll(batch);
                spool.ack(batch);
            }
            assertThat(all).extracting(SpoolRecord::uuid)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 100).mapToObj(DiskSpoolTests::uuid).toList());
            assertThat(new String(all.get(7).json(), StandardCharsets.UTF_8)).contains("\"e7\"");
            // only the segment still being written remains
            assertThat(segments()).hasSize(1);
            assertThat(spool.unread()).isZero();
        }
    }

    @Test
    void whenFullShouldRefuseAppendsUntilSpaceIsFreed() {
        try (DiskSpool spool = DiskSpool.open(dir, 1_500, 600)) {
            int stored = 0;
            while (spool.append(uuid(stored), json(stored))) {
                stored++;
            }
            assertThat(stored).isBetween(5, 10);
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(1_500);
            List<SpoolRecord> read = spool.read(stored, Integer.MAX_VALUE);
            spool.ack(read);
            assertThat(spool.append(uuid(999), json(999))).isTrue();
        }
    }

    @Test
    void whenReopenedShouldRedeliverEverythingNotAcknowledged() {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000)) {
            for (int i = 0; i < 50; i++) {
                spool.append(uuid(i), json(i));
            }
            spool.ack(spool.read(20, Integer.MAX_VALUE)); // first 20 acknowledged
            spool.read(10, Integer.MAX_VALUE); // 10 read, never acknowledged (crash in
                                               // flight)
            spool.sync();
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000)) {
            List<SpoolRecord> again = spool.read(1000, Integer.MAX_VALUE);
            List<String> uuids = again.stream().map(SpoolRecord::uuid).toList();
            // at least once: everything from 20 on; records of segments deleted after
            // acknowledgement are gone
            assertThat(uuids).containsSubsequence(uuid(20), uuid(29), uuid(30), uuid(49));
            assertThat(uuids).doesNotContain(uuid(0));
            assertThat(spool.recovered()).isEqualTo(again.size());
            assertThat(spool.corruptRecords()).isZero();
        }
    }

    @Test
    void whenTailIsTornShouldSkipItCountItAndKeepTheRest() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 0; i < 10; i++) {
                spool.append(uuid(i), json(i));
            }
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 7); // a crash mid-write
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            assertThat(spool.read(100, Integer.MAX_VALUE)).extracting(SpoolRecord::uuid)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 9).mapToObj(DiskSpoolTests::uuid).toList());
            assertThat(spool.corruptRecords()).isEqualTo(1);
        }
    }

    @Test
    void whenARecordIsCorruptShouldSkipTheRestOfItsSegmentOnly() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 0; i < 5; i++) {
                spool.append(uuid(i), json(i));
            }
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 5; i < 8; i++) {
                spool.append(uuid(i), json(i));
            }
        }
        Path first = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            long recordSize = f.length() / 5;
            f.seek(recordSize * 2 + 60); // inside the third record's payload
            f.write('#');
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            assertThat(spool.read(100, Integer.MAX_VALUE)).extracting(SpoolRecord::uuid)
                .containsExactly(uuid(0), uuid(1), uuid(5), uuid(6), uuid(7));
            assertThat(spool.corruptRecords()).isEqualTo(1);
        }
    }

    @Test
    void whenTheDirectoryHoldsForeignFilesShouldIgnoreThemAndKeepExactSizes() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("segment-foo.log"), "not ours");
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 0; i < 10; i++) {
                spool.append(uuid(i), json(i));
            }
        }
        Path segment = segments().stream().filter(p -> !p.toString().contains("foo")).findFirst().orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 7);
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            assertThat(spool.sizeBytes()).isEqualTo(Files.size(segment));
            spool.ack(spool.read(100, Integer.MAX_VALUE));
            spool.append(uuid(99), json(99)); // seals nothing, but the torn segment is
                                              // now fully read and acked
            assertThat(spool.sizeBytes()).isGreaterThanOrEqualTo(0);
        }
        DiskSpool.open(dir, 10_000_000, 1_000_000).close(); // the lock was released each
                                                            // time
    }

    @Test
    void whenClosedShouldRefuseWorkWithoutThrowing() {
        DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000);
        spool.append(uuid(1), json(1));
        List<SpoolRecord> read = spool.read(10, Integer.MAX_VALUE);
        spool.close();
        assertThat(spool.append(uuid(2), json(2))).isFalse();
        assertThat(spool.read(10, Integer.MAX_VALUE)).isEmpty();
        spool.ack(read);
        spool.sync();
        spool.close();
    }

    @Test
    void whenDirectoryIsInUseShouldFailWithAClearMessage() {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000, 1_000)) {
            assertThatThrownBy(() -> DiskSpool.open(dir, 10_000, 1_000)).isInstanceOf(SpoolLockedException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("posthog.spool.directory");
        }
        DiskSpool.open(dir, 10_000, 1_000).close(); // released on close
    }

}
