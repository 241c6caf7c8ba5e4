package io.github.posthog4j.client.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A durable, size-bounded spool of serialised events: a write-ahead log of segment files
 * in one directory.
 *
 * <p>
 * Each record is {@code [int length][int crc32c][36 bytes uuid][json]}. Records are
 * appended to the newest segment ({@code segment-<id>.log}); a new segment starts when
 * the current one passes the segment size, and every process starts a new segment (it
 * never appends behind a tail that a crash may have torn). Readers walk the segments
 * oldest first; a segment is deleted once it is sealed, read to its end and every record
 * read from it was acknowledged. Records survive a crash once {@link #sync()} has run
 * after their append (the caller's group-commit window); on open, every record still on
 * disk is delivered again (at least once, with its original uuid). A record whose length
 * or checksum is wrong ends the reading of its segment: the rest of that segment is
 * skipped and counted in {@link #corruptRecords()}, and start-up carries on.
 *
 * <p>
 * A directory belongs to one process at a time: {@link #open} takes an exclusive lock on
 * {@code spool.lock} and fails with {@link SpoolLockedException} when another process (or
 * another client in this JVM) holds it. Thread-safe; all methods synchronise on the
 * spool.
 */
public final class DiskSpool implements Closeable {

    private static final String PREFIX = "segment-";

    private static final String SUFFIX = ".log";

    private static final int HEADER = 8;

    private static final int UUID_BYTES = 36;

    /**
     * Records larger than this are corruption by definition (events are capped far below
     * it).
     */
    private static final int MAX_RECORD = 16 * 1024 * 1024;

    private final Path dir;

    private final long maxBytes;

    private final long segmentBytes;

    private final FileChannel lockChannel;

    private final FileLock lock;

    /** Segment id to its bookkeeping, oldest first. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();

    private Segment writing;

    private long totalBytes;

    private long unread;

    private long readSegment;

    private long readOffset;

    private long corrupt;

    private final long recovered;

    private boolean dirty;

    private boolean closed;

    private DiskSpool(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        long count = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                    long id;
                    try {
                        id = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
                    }
                    catch (NumberFormatException ex) {
                        continue; // not one of ours
                    }
                    Segment s = new Segment(id, p, Files.size(p));
                    s.sealed = true;
                    s.records = countRecords(s);
                    count += s.records;
                    segments.put(id, s);
                    totalBytes += s.diskSize;
                }
            }
        }
        this.recovered = count;
        this.unread = count;
        long next = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        this.readSegment = segments.isEmpty() ? next : segments.firstKey();
        this.readOffset = 0;
        startSegment(next);
    }

    /**
     * Opens (creating if needed) the spool in a directory and locks it.
     * @param dir the directory
     * @param maxBytes the most bytes all segments may hold; appends beyond it are refused
     * @param segmentBytes the size at which a new segment starts
     * @return the spool
     * @throws SpoolLockedException if another process holds the directory
     * @throws UncheckedIOException if the directory cannot be used
     */
    public static DiskSpool open(Path dir, long maxBytes, long segmentBytes) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            }
            catch (OverlappingFileLockException ex) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new SpoolLockedException("The PostHog spool directory " + dir.toAbsolutePath()
                        + " is in use by another process or client (lock on spool.lock): give each one its own "
                        + "posthog.spool.directory.");
            }
            return new DiskSpool(dir, maxBytes, segmentBytes, channel, lock);
        }
        catch (IOException ex) {
            closeQuietly(channel);
            throw new UncheckedIOException(
                    "Cannot open the PostHog spool directory " + dir.toAbsolutePath() + ": " + ex.getMessage(), ex);
        }
        catch (RuntimeException ex) {
            closeQuietly(channel); // never keep the lock of a spool that failed to open
            throw ex;
        }
    }

    private void startSegment(long id) throws IOException {
        Path p = dir.resolve(String.format("%s%020d%s", PREFIX, id, SUFFIX));
        Segment s = new Segment(id, p, 0);
        s.channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        segments.put(id, s);
        if (writing != null) {
            writing.sealed = true;
            writing.channel.force(false);
            writing.channel.close();
            writing.channel = null;
            maybeDelete(writing);
        }
        writing = s;
    }

    /**
     * Appends one event.
     * @param uuid the event's uuid (36 characters)
     * @param json the serialised event
     * @return false if the spool is full (the event is not stored)
     */
    public synchronized boolean append(String uuid, byte[] json) {
        if (closed) {
            return false;
        }
        int payload = UUID_BYTES + json.length;
        long size = HEADER + payload;
        if (totalBytes + size > maxBytes) {
            return false;
        }
        try {
            if (writing.size > 0 && writing.size + size > segmentBytes) {
                startSegment(writing.id + 1);
            }
            byte[] id = uuid.getBytes(StandardCharsets.US_ASCII);
            if (id.length != UUID_BYTES) {
                throw new IllegalArgumentException("uuid must be 36 characters");
            }
            CRC32C crc = new CRC32C();
            crc.update(id);
            crc.update(json);
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            buf.putInt(payload).putInt((int) crc.getValue()).put(id).put(json).flip();
            while (buf.hasRemaining()) {
                writing.channel.write(buf, writing.size + buf.position());
            }
            writing.size += size;
            writing.diskSize += size;
            writing.records++;
            totalBytes += size;
            unread++;
            dirty = true;
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("PostHog spool write failed: " + ex.getMessage(), ex);
        }
    }

    /** Forces appended records to disk: the end of a group-commit window. */
    public synchronized void sync() {
        if (!closed && dirty && writing.channel != null) {
            try {
                writing.channel.force(false);
                dirty = false;
            }
            catch (IOException ex) {
                throw new UncheckedIOException("PostHog spool sync failed: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Reads the next records, oldest first, and moves the read cursor past them.
     * @param maxRecords the most records
     * @param maxBytes the most payload bytes (at least one record is returned if any is
     * unread)
     * @return the records, possibly empty
     */
    public synchronized List<SpoolRecord> read(int maxRecords, int maxBytes) {
        if (closed) {
            return List.of();
        }
        List<SpoolRecord> out = new ArrayList<>(Math.min(maxRecords, (int) Math.min(unread, 1024)));
        int bytes = 0;
        try {
            while (out.size() < maxRecords) {
                Segment s = segments.get(readSegment);
                if (s == null) {
                    Map.Entry<Long, Segment> next = segments.higherEntry(readSegment);
                    if (next == null) {
                        break;
                    }
                    readSegment = next.getKey();
                    readOffset = 0;
                    continue;
                }
                if (readOffset >= s.size) {
                    if (s == writing) {
                        break;
                    }
                    s.fullyRead = true;
                    maybeDelete(s);
                    readSegment = s.id + 1;
                    readOffset = 0;
                    continue;
                }
                Record r = readAt(s, readOffset);
                if (r == null) {
                    // torn or corrupt: skip the rest of this segment
                    corrupt++;
                    unread = Math.max(0, unread - (s.records - s.read));
                    s.records = s.read;
                    s.size = readOffset;
                    readOffset = s.size;
                    continue;
                }
                if (!out.isEmpty() && bytes + r.json.length > maxBytes) {
                    break;
                }
                out.add(new SpoolRecord(s.id, r.uuid, r.json));
                bytes += r.json.length;
                readOffset += HEADER + UUID_BYTES + r.json.length;
                s.read++;
                unread--;
            }
        }
        catch (IOException ex) {
            // e.g. the reading thread was interrupted (which closes the channel): what
            // was read is returned and
            // the cursor stays on the next record; the next call reopens the channel.
            if (out.isEmpty()) {
                throw new UncheckedIOException("PostHog spool read failed: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /**
     * Acknowledges records: PostHog has them, or they were dropped for good. Deletes
     * segments that are done.
     * @param records records returned by {@link #read}
     */
    public synchronized void ack(List<SpoolRecord> records) {
        if (closed) {
            return; // still on disk: delivered again by the next process (at least once)
        }
        for (SpoolRecord r : records) {
            Segment s = segments.get(r.segment());
            if (s != null) {
                s.acked++;
                maybeDelete(s);
            }
        }
    }

    private void maybeDelete(Segment s) {
        if (s.sealed && s.fullyRead && s.acked >= s.read && s != writing) {
            closeQuietly(s.channel);
            closeQuietly(s.readChannel);
            s.channel = null;
            s.readChannel = null;
            try {
                Files.deleteIfExists(s.path);
            }
            catch (IOException ex) {
                // Left on disk: delivered again by the next process (at least once);
                // never fail delivery for it.
                return;
            }
            totalBytes -= s.diskSize;
            segments.remove(s.id);
        }
    }

    private Record readAt(Segment s, long offset) throws IOException {
        if (offset + HEADER > s.size) {
            return null;
        }
        FileChannel ch = channelFor(s);
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        readFully(ch, head, offset);
        head.flip();
        int length = head.getInt();
        int crc = head.getInt();
        if (length < UUID_BYTES || length > MAX_RECORD || offset + HEADER + length > s.size) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + HEADER);
        byte[] bytes = body.array();
        CRC32C check = new CRC32C();
        check.update(bytes);
        if ((int) check.getValue() != crc) {
            return null;
        }
        String uuid = new String(bytes, 0, UUID_BYTES, StandardCharsets.US_ASCII);
        byte[] json = new byte[length - UUID_BYTES];
        System.arraycopy(bytes, UUID_BYTES, json, 0, json.length);
        return new Record(uuid, json);
    }

    /**
     * Readers use their own channel: an interrupted reader closes it, never the writer's.
     */
    private FileChannel channelFor(Segment s) throws IOException {
        if (s.readChannel == null || !s.readChannel.isOpen()) {
            s.readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
        }
        return s.readChannel;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of spool segment");
            }
        }
    }

    private long countRecords(Segment s) throws IOException {
        long offset = 0;
        long n = 0;
        while (true) {
            Record r = readAt(s, offset);
            if (r == null) {
                if (offset < s.size) {
                    corrupt++;
                    s.size = offset;
                }
                return n;
            }
            offset += HEADER + UUID_BYTES + r.json.length;
            n++;
        }
    }

    /**
     * @return records not yet read
     */
    public synchronized long unread() {
        return unread;
    }

    /**
     * @return bytes on disk
     */
    public synchronized long sizeBytes() {
        return totalBytes;
    }

    /**
     * @return records found on disk when the spool was opened (left by a previous
     * process)
     */
    public long recovered() {
        return recovered;
    }

    /**
     * @return corrupt or torn records skipped
     */
    public synchronized long corruptRecords() {
        return corrupt;
    }

    /**
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Segment s : segments.values()) {
            closeQuietly(s.readChannel);
            s.readChannel = null;
            if (s.channel != null) {
                try {
                    if (s == writing) {
                        s.channel.force(false);
                    }
                }
                catch (IOException ignored) {
                    // best effort
                }
                closeQuietly(s.channel);
                s.channel = null;
            }
        }
        try {
            lock.release();
        }
        catch (IOException ignored) {
            // released when the channel closes
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            }
            catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private record Record(String uuid, byte[] json) {
    }

    private static final class Segment {

        final long id;

        final Path path;

        long size;

        long records;

        long read;

        long acked;

        boolean sealed;

        boolean fullyRead;

        FileChannel channel;

        FileChannel readChannel;

        long diskSize;

        Segment(long id, Path path, long size) {
            this.id = id;
            this.path = path;
            this.size = size;
            this.diskSize = size;
        }

    }

}
