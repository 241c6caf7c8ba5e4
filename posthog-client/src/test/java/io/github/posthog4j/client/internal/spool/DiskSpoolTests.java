package io.github.posthog4j.client.internal.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posthog4j.client.internal.spool.DiskSpool.Appended;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTests {

    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    private static String uuid(int i) {
        return new UUID(0x0190_0000_0000_7000L, i).toString();
    }

    private static byte[] json(int i) {
        return ("{\"uuid\":\"" + uuid(i) + "\",\"event\":\"e" + i + "\",\"pad\":\"" + "x".repeat(300) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    private static Appended append(DiskSpool spool, int i) {
        byte[] json = json(i);
        return spool.append(json, json.length, null);
    }

    private static List<String> uuids(int from, int to) {
        return IntStream.range(from, to).mapToObj(DiskSpoolTests::uuid).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    private static List<SpoolRecord> readAll(DiskSpool spool, boolean ack) {
        List<SpoolRecord> all = new ArrayList<>();
        List<SpoolRecord> batch;
        while (!(batch = spool.read(30, 1_000_000)).isEmpty()) {
            all.addAll(batch);
            if (ack) {
                spool.ack(batch);
            }
        }
        return all;
    }

    @Test
    void whenAppendedShouldReadBackInOrderAndDeleteSegmentsOnceAcked() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            for (int i = 0; i < 1000; i++) {
                assertThat(append(spool, i)).isEqualTo(Appended.STORED);
            }
            assertThat(spool.unread()).isEqualTo(1000);
            assertThat(segments()).hasSizeGreaterThan(5);
            List<SpoolRecord> all = readAll(spool, true);
            assertThat(all).extracting(SpoolRecord::uuid).containsExactlyElementsOf(uuids(0, 1000));
            assertThat(new String(all.get(7).json(), StandardCharsets.UTF_8)).contains("\"e7\"");
            // the segment still being written, and at most two done ones kept for reuse
            assertThat(segments()).hasSizeLessThanOrEqualTo(3);
            assertThat(spool.unread()).isZero();
        }
    }

    @Test
    void whenSegmentsAreDoneShouldReuseTheirFilesForNewAppends() throws IOException {
        List<String> read = new ArrayList<>();
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            int next = 0;
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 400; i++) { // more than two segments
                    assertThat(append(spool, next++)).isEqualTo(Appended.STORED);
                }
                spool.prepare();
                readAll(spool, true).forEach((r) -> read.add(r.uuid()));
                spool.prepare();
                // the current segment and the two prepared ones, made of done ones
                assertThat(segments()).hasSizeLessThanOrEqualTo(3);
            }
            assertThat(read).containsExactlyElementsOf(uuids(0, next));
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            assertThat(spool.recovered()).isZero(); // everything acknowledged, nothing
                                                    // stale
            assertThat(spool.corruptRecords()).isZero();
            assertThat(spool.read(10, Integer.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void whenFullShouldRefuseAppendsWithoutGrowingUntilSpaceIsFreed() {
        try (DiskSpool spool = DiskSpool.open(dir, 4 * SEGMENT, SEGMENT)) {
            int stored = 0;
            while (append(spool, stored) == Appended.STORED) {
                stored++;
            }
            assertThat(append(spool, 100_000)).isEqualTo(Appended.FULL);
            assertThat(stored).isGreaterThan(3 * SEGMENT / 400);
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(4 * SEGMENT);
            assertThat(dirBytes()).isLessThanOrEqualTo(4 * SEGMENT);
            spool.ack(spool.read(stored, Integer.MAX_VALUE));
            assertThat(append(spool, 999)).isEqualTo(Appended.STORED);
        }
    }

    private long dirBytes() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).mapToLong((p) -> {
                try {
                    return Files.size(p);
                }
                catch (IOException ex) {
                    return 0;
                }
            }).sum();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void whenReopenedShouldRedeliverOnlyWhatWasNotAcknowledged() {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            for (int i = 0; i < 500; i++) {
                append(spool, i);
            }
            spool.ack(spool.read(200, Integer.MAX_VALUE)); // acknowledged
            spool.read(100, Integer.MAX_VALUE); // read, never acknowledged (in flight)
        } // no sync: a kill of the process keeps what the page cache has
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            assertThat(spool.recovered()).isEqualTo(300);
            assertThat(readAll(spool, false)).extracting(SpoolRecord::uuid).containsExactlyElementsOf(uuids(200, 500));
            assertThat(spool.corruptRecords()).isZero();
        }
    }

    @Test
    void whenAppendsComeFromManyThreadsShouldKeepEveryRecordIntact() throws Exception {
        int threads = 4;
        int each = 5_000;
        Set<String> read = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        try (DiskSpool spool = DiskSpool.open(dir, 64L * 1024 * 1024, SEGMENT)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                    for (int i = base; i < base + each; i++) {
                        assertThat(append(spool, i)).isEqualTo(Appended.STORED);
                    }
                });
                w.start();
                writers.add(w);
            }
            Thread reader = new Thread(() -> {
                while (read.size() < threads * each) {
                    for (SpoolRecord r : spool.read(100, Integer.MAX_VALUE)) {
                        if (!read.add(r.uuid())) {
                            duplicates.add(r.uuid());
                        }
                        assertThat(new String(r.json(), StandardCharsets.UTF_8)).endsWith("x\"}");
                        spool.ack(List.of(r));
                    }
                }
            });
            reader.start();
            go.countDown();
            for (Thread w : writers) {
                w.join(60_000);
            }
            reader.join(60_000);
            assertThat(read).hasSize(threads * each);
            assertThat(duplicates).isEmpty();
            assertThat(spool.corruptRecords()).isZero();
        }
    }

    @Test
    void whenAnAppendWasKilledMidWayShouldSkipTheHoleAndKeepTheRecordsAfterIt() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 0; i < 10; i++) {
                append(spool, i);
            }
        }
        Path segment = segments().get(0);
        long recordSize = (Files.size(segment) > 0) ? Segment.align(16 + json(0).length) : 0;
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            // the fourth record: reserved, partly copied, its length never written
            long at = Segment.FILE_HEADER + 3 * recordSize;
            f.seek(at);
            f.writeInt(0);
            f.seek(at + 40);
            f.write(new byte[] { 1, 2, 3 });
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            List<String> expected = new ArrayList<>(uuids(0, 3));
            expected.addAll(uuids(4, 10));
            assertThat(readAll(spool, false)).extracting(SpoolRecord::uuid).containsExactlyElementsOf(expected);
            assertThat(spool.corruptRecords()).isEqualTo(1);
            assertThat(spool.recovered()).isEqualTo(9);
        }
    }

    @Test
    void whenARecordIsCorruptShouldSkipThatRecordOnly() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            for (int i = 0; i < 5; i++) {
                append(spool, i);
            }
        }
        Path first = segments().get(0);
        long recordSize = Segment.align(16 + json(0).length);
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(Segment.FILE_HEADER + recordSize * 2 + 60); // inside the third record
            f.write('#');
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, 1_000_000)) {
            assertThat(readAll(spool, false)).extracting(SpoolRecord::uuid)
                .containsExactly(uuid(0), uuid(1), uuid(3), uuid(4));
            assertThat(spool.corruptRecords()).isEqualTo(1);
        }
    }

    @Test
    void whenTheDirectoryHoldsForeignFilesShouldLeaveThemAlone() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("segment-foo.log"), "not ours");
        Files.writeString(dir.resolve("segment-00000000000000000007.log"), "an older format");
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            assertThat(spool.ignoredFiles()).extracting((p) -> p.getFileName().toString())
                .containsExactly("segment-00000000000000000007.log");
            assertThat(append(spool, 1)).isEqualTo(Appended.STORED);
            assertThat(readAll(spool, true)).hasSize(1);
        }
        assertThat(dir.resolve("segment-foo.log")).hasContent("not ours");
        assertThat(dir.resolve("segment-00000000000000000007.log")).hasContent("an older format");
    }

    @Test
    void whenFlaggedShouldKeepTheFlagRequestApartFromTheEvent() {
        byte[] flags = "{\"distinct_id\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            byte[] json = json(1);
            spool.append(json, json.length, flags);
        }
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            SpoolRecord r = spool.read(10, Integer.MAX_VALUE).get(0);
            assertThat(r.uuid()).isEqualTo(uuid(1));
            assertThat(r.json()).isEqualTo(json(1));
            assertThat(r.flags()).isEqualTo(flags);
        }
    }

    @Test
    void whenSyncedShouldForceOnlyWhatIsNew() {
        try (DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT)) {
            append(spool, 1);
            assertThat(spool.hasUnsynced()).isTrue();
            assertThat(spool.sync()).isTrue();
            assertThat(spool.hasUnsynced()).isFalse();
            assertThat(spool.sync()).isFalse();
            spool.ack(spool.read(1, Integer.MAX_VALUE));
            assertThat(spool.hasUnsynced()).isTrue(); // the acknowledgement
            assertThat(spool.sync()).isTrue();
        }
    }

    @Test
    void whenClosedShouldRefuseWorkWithoutThrowing() {
        DiskSpool spool = DiskSpool.open(dir, 10_000_000, SEGMENT);
        append(spool, 1);
        List<SpoolRecord> read = spool.read(10, Integer.MAX_VALUE);
        spool.close();
        assertThat(append(spool, 2)).isEqualTo(Appended.CLOSED);
        assertThat(spool.read(10, Integer.MAX_VALUE)).isEmpty();
        spool.ack(read);
        spool.sync();
        spool.close();
    }

    @Test
    void whenDirectoryIsInUseShouldFailWithAClearMessage() {
        try (DiskSpool spool = DiskSpool.open(dir, 1024 * 1024, SEGMENT)) {
            assertThatThrownBy(() -> DiskSpool.open(dir, 1024 * 1024, SEGMENT)).isInstanceOf(SpoolLockedException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("posthog.spool.directory");
        }
        DiskSpool.open(dir, 1024 * 1024, SEGMENT).close(); // released on close
    }

}
