package io.github.posthog4j.client.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A durable, size-bounded spool of serialised events: a write-ahead log of memory-mapped
 * segment files in one directory ({@link Segment} has the format).
 *
 * <p>
 * {@link #append} runs on the capturing thread: a lock-free reservation in the current
 * segment and a copy into the mapping, so the event is in the OS page cache (it survives
 * a kill of the process) when it returns; {@link #sync()} forces it to disk (the group
 * commit, on a background thread). Only a segment change takes the lock, and it finds a
 * segment prepared in the background ({@link #prepare()}) most of the time. The spool
 * never holds more than {@code maxBytes} of segment files: an append that needs a new
 * segment beyond that is refused ({@link Appended#FULL}), never waited for.
 *
 * <p>
 * Readers take records oldest first and acknowledge them once PostHog has them; an
 * acknowledgement is written into the record, so a restart delivers again only what was
 * not acknowledged, and a segment file is deleted once every record in it is. Every
 * process starts a new segment. On open, records left by a previous process are found (a
 * hole that a killed append left is skipped and counted in {@link #corruptRecords()}, as
 * is a record whose checksum is wrong) and delivered again: at least once, with their
 * original uuids.
 *
 * <p>
 * A directory belongs to one process at a time: {@link #open} takes an exclusive lock on
 * {@code spool.lock} and fails with {@link SpoolLockedException} when another process (or
 * another client in this JVM) holds it. Thread-safe.
 */
public final class DiskSpool implements Closeable {

    private static final String PREFIX = "segment-";

    private static final String SUFFIX = ".log";

    /** What became of an append. */
    public enum Appended {

        /** In the spool (the page cache). */
        STORED,
        /** Refused: the spool is at its size limit. */
        FULL,
        /** Refused: the spool is closed. */
        CLOSED,
        /** Refused: the disk failed ({@link #lastFailure()} says how). */
        FAILED

    }

    private final Path dir;

    private final long maxBytes;

    private final int segmentBytes;

    private final FileChannel lockChannel;

    private final FileLock lock;

    /** Segment id to segment, oldest first. Guarded by this. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();

    private volatile Segment current;

    /**
     * The next segments (ids following the current one), made ready in the background.
     * Guarded by this.
     */
    private final ArrayDeque<Segment> spares = new ArrayDeque<>(2);

    /**
     * Done segments (every record acknowledged) kept to become spares. Guarded by this.
     */
    private final ArrayDeque<Segment> done = new ArrayDeque<>(2);

    private boolean preparing;

    /** Bytes of all segment files, the spares included. Guarded by this. */
    private long totalBytes;

    /** Whether the last segment change found no room; cleared when space is freed. */
    private volatile boolean full;

    private volatile @Nullable IOException lastFailure;

    private long readSegment;

    private long readOffset = Segment.FILE_HEADER;

    private final LongAdder appended = new LongAdder();

    private volatile long consumed;

    private final long recovered;

    private volatile long corrupt;

    private final List<Path> ignored = new ArrayList<>();

    private boolean directoryDirty;

    private volatile boolean closed;

    private volatile Runnable halfFull = () -> {
    };

    private DiskSpool(Path dir, long maxBytes, int segmentBytes, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        Segment.Recovery counts = new Segment.Recovery();
        long lastId = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
                }
                catch (NumberFormatException ex) {
                    continue; // not one of ours
                }
                lastId = Math.max(lastId, id);
                Segment s = Segment.recover(id, p, counts);
                if (s == null) {
                    this.ignored.add(p);
                    continue;
                }
                this.segments.put(id, s);
                this.totalBytes += s.capacity;
            }
        }
        this.recovered = counts.unacked;
        this.corrupt = counts.torn;
        this.readSegment = this.segments.isEmpty() ? lastId + 1 : this.segments.firstKey();
        Segment first = Segment.create(lastId + 1, pathOf(lastId + 1), segmentBytes);
        this.segments.put(first.id, first);
        this.totalBytes += first.capacity;
        this.current = first;
        this.directoryDirty = true;
    }

    /**
     * Opens (creating if needed) the spool in a directory and locks it.
     * @param dir the directory
     * @param maxBytes the most bytes all segment files may hold; appends beyond it are
     * refused
     * @param segmentBytes the size of a segment file
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
            // at least four segments fit, so that a full spool always frees room by
            // delivering
            int size = (int) Math.max(4096, Math.min(segmentBytes, Math.min(maxBytes / 4, Integer.MAX_VALUE / 2)));
            return new DiskSpool(dir, maxBytes, Segment.align(size), channel, lock);
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

    private Path pathOf(long id) {
        return this.dir.resolve(String.format("%s%020d%s", PREFIX, id, SUFFIX));
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends one serialised event; never blocks on the disk unless a segment change
     * finds no prepared segment.
     * @param json the event's JSON, starting with its uuid ({@code {"uuid":"...}) @param
     * length how many bytes of {@code json} @param flags the capture's feature-flag
     * request for the delivery side, or null @return what became of it
     */
    public Appended append(byte[] json, int length, byte @Nullable [] flags) {
        int payload = length + ((flags != null) ? 4 + flags.length : 0);
        if (payload > Segment.MAX_RECORD) {
            this.lastFailure = new IOException("an event of " + payload + " bytes does not fit in a spool record");
            return Appended.FAILED;
        }
        int size = Segment.align(Segment.RECORD_HEADER + (long) payload);
        Segment s = this.current;
        long offset;
        while ((offset = s.reserve(size)) < 0) {
            if (this.closed) {
                return Appended.CLOSED;
            }
            if (this.full && s == this.current) {
                return Appended.FULL;
            }
            Object next = roll(s, size);
            if (next instanceof Appended refused) {
                return refused;
            }
            s = (Segment) next;
        }
        try {
            s.write(offset, (flags != null) ? Segment.KIND_FLAGS : Segment.KIND_EVENT, flags, json, length);
        }
        catch (RuntimeException | InternalError ex) {
            s.abort(offset, size); // readers skip it
            this.lastFailure = new IOException("writing to the spool failed: " + ex, ex);
            return Appended.FAILED;
        }
        this.appended.increment();
        int half = s.capacity >> 1;
        if (offset < half && offset + size >= half) {
            this.halfFull.run();
        }
        return Appended.STORED;
    }

    /**
     * Moves appends to the next segment.
     * @return the segment to append to now, or why the append is refused
     */
    private synchronized Object roll(Segment seen, int size) {
        while (this.preparing && this.spares.isEmpty() && !this.closed) {
            try {
                wait(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Appended.FAILED;
            }
        }
        if (this.closed) {
            return Appended.CLOSED;
        }
        Segment cur = this.current;
        if (cur != seen) {
            return cur;
        }
        int needed = Segment.align(Segment.FILE_HEADER + (long) size);
        Segment next = this.spares.pollFirst();
        if (next != null && next.capacity < needed) {
            // an event larger than a segment: it gets one of its own, the next id
            discard(next);
            while (!this.spares.isEmpty()) {
                discard(this.spares.pollFirst());
            }
            next = null;
        }
        if (next == null) {
            int capacity = Math.max(this.segmentBytes, needed);
            if (this.totalBytes + capacity > this.maxBytes) {
                this.full = true;
                return Appended.FULL;
            }
            try {
                next = Segment.create(cur.id + 1, pathOf(cur.id + 1), capacity);
            }
            catch (IOException ex) {
                this.lastFailure = ex;
                return Appended.FAILED;
            }
            this.totalBytes += capacity;
        }
        this.segments.put(next.id, next);
        this.directoryDirty = true;
        cur.seal();
        this.current = next;
        maybeDelete(cur);
        return next;
    }

    private void discard(Segment s) {
        this.totalBytes -= s.capacity;
        try {
            s.delete();
        }
        catch (IOException ex) {
            // an empty segment: read (and deleted) by the next process
        }
    }

    /**
     * Prepares the next segment files ahead of the appends (called by the background
     * syncer, so that appends seldom create a file themselves): one, and a second when
     * the spool has room for eight segments, so that a burst does not outrun it.
     */
    public void prepare() {
        while (true) {
            long id;
            int capacity;
            Segment reuse;
            synchronized (this) {
                Segment cur = this.current;
                if (this.closed || this.preparing || this.spares.size() >= sparesWanted()) {
                    return;
                }
                reuse = this.done.pollFirst();
                if (reuse == null && this.totalBytes + this.segmentBytes > this.maxBytes) {
                    return;
                }
                capacity = this.segmentBytes;
                id = cur.id + 1 + this.spares.size();
                if (reuse == null) {
                    this.totalBytes += capacity;
                }
                this.preparing = true;
            }
            Segment made = null;
            IOException failure = null;
            try {
                made = (reuse != null) ? Segment.recycle(reuse, id, pathOf(id))
                        : Segment.create(id, pathOf(id), capacity);
            }
            catch (IOException ex) {
                failure = ex;
            }
            synchronized (this) {
                this.preparing = false;
                notifyAll();
                if (made == null) {
                    this.totalBytes -= capacity;
                    this.lastFailure = failure;
                    return;
                }
                if (this.closed || this.current.id + 1 + this.spares.size() != id) {
                    discard(made);
                    return;
                }
                this.spares.addLast(made);
                this.full = false;
            }
        }
    }

    private int sparesWanted() {
        return (this.maxBytes >= 8L * this.segmentBytes) ? 2 : 1;
    }

    /**
     * @param listener called (on an appending or acknowledging thread; it must not block)
     * when an append crosses the middle of a segment or a done segment can be reused, so
     * that the next ones can be prepared
     */
    public void onHalfFull(Runnable listener) {
        this.halfFull = listener;
    }

    // ------------------------------------------------------------------ sync

    /**
     * Forces appended records and acknowledgements to disk: the group commit.
     * @return whether anything was forced
     */
    public boolean sync() {
        List<Segment> all;
        boolean directory;
        synchronized (this) {
            if (this.closed) {
                return false;
            }
            all = new ArrayList<>(this.segments.values());
            directory = this.directoryDirty;
            this.directoryDirty = false;
        }
        boolean any = false;
        for (Segment s : all) {
            try {
                any |= s.force();
            }
            catch (RuntimeException ex) {
                this.lastFailure = new IOException("forcing the spool to disk failed: " + ex, ex);
            }
        }
        if (directory) {
            // the new segment files' directory entries, for a machine crash
            try (FileChannel d = FileChannel.open(this.dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            catch (IOException | RuntimeException ex) {
                // not supported everywhere (e.g. Windows); the files themselves are
                // forced
            }
        }
        return any;
    }

    /**
     * @return whether appends or acknowledgements wait for {@link #sync()}
     */
    public boolean hasUnsynced() {
        if (this.closed) {
            return false;
        }
        Segment cur = this.current;
        if (cur.hasUnforced()) {
            return true;
        }
        synchronized (this) {
            for (Segment s : this.segments.values()) {
                if (s.hasUnforced()) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads the next records, oldest first, and moves the read cursor past them. A record
     * still being appended ends the read; it is returned by a later call.
     * @param maxRecords the most records
     * @param maxBytes the most JSON bytes (at least one record is returned if any is
     * ready)
     * @return the records, possibly empty
     */
    public synchronized List<SpoolRecord> read(int maxRecords, int maxBytes) {
        if (this.closed) {
            return List.of();
        }
        List<SpoolRecord> out = new ArrayList<>(Math.min(maxRecords, 1024));
        long bytes = 0;
        // counted once per call, not per record: appending threads read the same objects
        long taken = 0;
        Segment counting = null;
        int countedHere = 0;
        while (out.size() < maxRecords) {
            Segment s = this.segments.get(this.readSegment);
            if (s == null) {
                if (!nextSegment()) {
                    break;
                }
                continue;
            }
            Segment.Entry e = s.readAt(this.readOffset);
            if (e == null) {
                long end = s.end();
                if (end >= 0 && this.readOffset >= end) {
                    if (counting == s) {
                        s.read += countedHere; // before deciding whether it is done
                        countedHere = 0;
                    }
                    s.fullyRead = true;
                    maybeDelete(s);
                    if (!nextSegment()) {
                        break;
                    }
                    continue;
                }
                break; // caught up, or the next record is still being written
            }
            SpoolRecord r = e.record();
            if (r != null && !out.isEmpty() && bytes + r.json().length > maxBytes) {
                break;
            }
            this.readOffset = e.next();
            if (e.corrupt()) {
                this.corrupt++;
                taken++;
            }
            else if (r != null) {
                out.add(r);
                bytes += r.json().length;
                if (counting != s) {
                    if (counting != null) {
                        counting.read += countedHere;
                    }
                    counting = s;
                    countedHere = 0;
                }
                countedHere++;
                taken++;
            }
        }
        if (counting != null) {
            counting.read += countedHere;
        }
        if (taken > 0) {
            this.consumed += taken;
        }
        return out;
    }

    private boolean nextSegment() {
        Map.Entry<Long, Segment> next = this.segments.higherEntry(this.readSegment);
        if (next == null) {
            return false;
        }
        this.readSegment = next.getKey();
        this.readOffset = Segment.FILE_HEADER;
        return true;
    }

    /**
     * Acknowledges records: PostHog has them, or they were dropped for good. Deletes
     * segments that are done.
     * @param records records returned by {@link #read}
     */
    public synchronized void ack(List<SpoolRecord> records) {
        if (this.closed) {
            return; // not marked: delivered again by the next process (at least once)
        }
        Segment last = null;
        int acked = 0; // added once per segment, not per record: appends read the object
        for (SpoolRecord r : records) {
            Segment s = (last != null && last.id == r.segment()) ? last : this.segments.get(r.segment());
            if (s == null) {
                continue;
            }
            if (last != null && last != s) {
                last.acked += acked;
                acked = 0;
                maybeDelete(last);
            }
            last = s;
            if (s.ack(r.offset())) {
                acked++;
            }
        }
        if (last != null) {
            last.acked += acked;
            maybeDelete(last);
        }
    }

    private void maybeDelete(Segment s) {
        if (s != this.current && s.isSealed() && s.fullyRead && s.acked >= s.read
                && this.segments.remove(s.id) != null) {
            if (s.capacity == this.segmentBytes && this.spares.size() + this.done.size() < sparesWanted()) {
                this.done.addLast(s); // recycled by prepare(): no new file, no page
                                      // faults
                this.halfFull.run(); // wakes the syncer, which prepares
                return;
            }
            try {
                s.delete();
                this.totalBytes -= s.capacity;
                this.full = false;
            }
            catch (IOException ex) {
                // left on disk (its records are acknowledged): removed by the next
                // process
            }
        }
    }

    // ------------------------------------------------------------------ status

    /**
     * @return records not yet read
     */
    public long unread() {
        return Math.max(0, this.recovered + this.appended.sum() - this.consumed);
    }

    /**
     * @return records appended since the spool was opened
     */
    public long appended() {
        return this.appended.sum();
    }

    /**
     * @return bytes of segment files on disk (never more than the limit)
     */
    public synchronized long sizeBytes() {
        return this.totalBytes;
    }

    /**
     * @return records found on disk, not acknowledged, when the spool was opened (left by
     * a previous process)
     */
    public long recovered() {
        return this.recovered;
    }

    /**
     * @return corrupt or torn records skipped
     */
    public long corruptRecords() {
        return this.corrupt;
    }

    /**
     * @return files named like segments that are not (another format), left untouched
     */
    public List<Path> ignoredFiles() {
        return List.copyOf(this.ignored);
    }

    /**
     * @return the last disk failure (a full disk, a failed write), or null
     */
    public @Nullable IOException lastFailure() {
        return this.lastFailure;
    }

    /**
     * @return the directory
     */
    public Path directory() {
        return this.dir;
    }

    /**
     * @return the most bytes its segment files may hold
     */
    public long maxBytes() {
        return this.maxBytes;
    }

    /**
     * Closes the spool: refuses appends, waits (briefly: appends never block) for the
     * ones under way, forces everything to disk, unmaps the files and releases the lock.
     */
    @Override
    public void close() {
        List<Segment> all;
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            notifyAll();
            this.current.seal();
            all = new ArrayList<>(this.segments.values());
            all.addAll(this.spares);
            this.spares.clear();
            all.addAll(this.done);
            this.done.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (Segment s : all) {
            if (s.awaitComplete(deadline)) {
                s.release();
            }
            // else: an append is stuck mid-copy; the mapping is left to the collector
        }
        try {
            this.lock.release();
        }
        catch (IOException ignored) {
            // released when the channel closes
        }
        closeQuietly(this.lockChannel);
    }

    private static void closeQuietly(@Nullable Closeable c) {
        if (c != null) {
            try {
                c.close();
            }
            catch (IOException ignored) {
                // nothing to do
            }
        }
    }

}
