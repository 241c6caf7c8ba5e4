package io.github.posthog4j.client.internal.spool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * One segment file of the spool, memory-mapped: appends are lock-free reservations in the
 * mapping (a compare-and-set on the write position), so a record is in the OS page cache,
 * and survives the death of the process, as soon as its append returns.
 *
 * <p>
 * Layout: a 16-byte file header ({@code PHSPOOL2}, version, reserved), then records, each
 * aligned to 8 bytes: {@code [int length][int crc32c][int kind][int ack][payload]}. The
 * length is written last (a release store): 0 means the record is not complete (or the
 * segment's unused tail), a negative length skips that many bytes (an aborted append or a
 * hole repaired at recovery). The CRC covers the payload; the ack word is set once
 * PostHog has the event, so that a restart does not deliver it again. A
 * {@link #KIND_FLAGS} payload starts with {@code [int n][n bytes]}, the capture's
 * feature-flag request, before the event's JSON.
 *
 * <p>
 * The file is created full-size and sparse, every page touched once by the creating
 * thread (so the file system reserves the blocks before any append writes there), and
 * unmapped when deleted.
 */
final class Segment {

    static final int FILE_HEADER = 16;

    static final int RECORD_HEADER = 16;

    static final int KIND_EVENT = 0x50484531; // "PHE1"

    static final int KIND_FLAGS = 0x50484631; // "PHF1"

    private static final int ACKED = 0x41434B21; // "ACK!"

    private static final byte[] MAGIC = "PHSPOOL2".getBytes(StandardCharsets.US_ASCII);

    private static final int VERSION = 2;

    /** Records larger than this are corruption by definition. */
    static final int MAX_RECORD = 16 * 1024 * 1024;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final long SEALED = Long.MIN_VALUE;

    final long id;

    final Path path;

    final int capacity;

    private @Nullable MappedByteBuffer map;

    /** The next free offset, or {@link #SEALED}. */
    private final AtomicLong position;

    /**
     * Where the records end once sealed (guarded by the spool), or -1 while appendable.
     */
    private volatile long end = -1;

    /** Forced to disk up to here (the syncer's, under this segment's monitor). */
    private long syncedTo;

    private volatile boolean ackDirty;

    /** Whether an earlier process wrote the records (then reads check their CRC). */
    private boolean recovered;

    // bookkeeping of the reader, guarded by the spool
    long read;

    long acked;

    boolean fullyRead;

    private Segment(long id, Path path, int capacity, MappedByteBuffer map, long position) {
        this.id = id;
        this.path = path;
        this.capacity = capacity;
        this.map = map;
        this.position = new AtomicLong(position);
        this.syncedTo = position;
    }

    static int align(long size) {
        return (int) ((size + 7) & ~7L);
    }

    /**
     * Creates a segment file of {@code capacity} bytes (sparse: zeros cost no disk write)
     * and maps it. Every page is touched here, on the creating thread: the file system
     * reserves its block now (a full disk fails this call, never a later append with a
     * SIGBUS), and appends find the pages mapped.
     */
    static Segment create(long id, Path path, int capacity) throws IOException {
        if (Files.getFileStore(path.getParent()).getUsableSpace() < 2L * capacity) {
            throw new IOException(
                    "not enough free disk space for a " + capacity + "-byte spool segment in " + path.getParent());
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).put(MAGIC).putInt(VERSION).putInt(0).flip();
            ch.write(header, 0);
            ch.write(ByteBuffer.allocate(1), capacity - 1L);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            try {
                for (int page = 4096; page < capacity; page += 4096) {
                    map.put(page, (byte) 0);
                }
            }
            catch (InternalError ex) {
                // SIGBUS: the file system could not give the page a block
                Unmapper.unmap(map);
                throw new IOException("the disk is full: cannot reserve a spool segment in " + path.getParent(), ex);
            }
            return new Segment(id, path, capacity, map, FILE_HEADER);
        }
        catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(path);
            throw ex;
        }
    }

    /**
     * Makes a new segment of a done one (every record acknowledged): its mapping is
     * zeroed, from the end backwards (a crash meanwhile leaves acknowledged records
     * followed by zeros), and the file is renamed to the new id. Reusing the file costs
     * no file creation and no page fault. The done segment must not be used afterwards.
     */
    static Segment recycle(Segment done, long id, Path path) throws IOException {
        MappedByteBuffer m;
        synchronized (done) {
            m = done.map;
            done.map = null;
        }
        if (m == null) {
            throw new IOException("spool segment " + done.id + " is closed");
        }
        byte[] zeros = new byte[64 * 1024];
        for (int end = done.capacity; end > FILE_HEADER; end -= zeros.length) {
            int from = Math.max(FILE_HEADER, end - zeros.length);
            m.put(from, zeros, 0, end - from);
        }
        try {
            Files.move(done.path, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException ex) {
            Unmapper.unmap(m);
            Files.deleteIfExists(done.path);
            throw ex;
        }
        return new Segment(id, path, done.capacity, m, FILE_HEADER);
    }

    /**
     * Opens a segment a previous process left: checks its header, scans its records
     * (repairing holes that a killed append left with skip markers), and seals it.
     * @return the segment, or null when the file is not a segment of this format
     */
    static @Nullable Segment recover(long id, Path path, Recovery counts) throws IOException {
        long size = Files.size(path);
        if (size < FILE_HEADER || size > Integer.MAX_VALUE) {
            return null;
        }
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (map.get(i) != MAGIC[i]) {
                Unmapper.unmap(map);
                return null;
            }
        }
        Segment s = new Segment(id, path, (int) size, map, FILE_HEADER);
        s.recovered = true;
        s.scan(counts);
        return s;
    }

    /** What a recovery scan found. */
    static final class Recovery {

        long unacked;

        long torn;

    }

    private void scan(Recovery counts) {
        MappedByteBuffer m = this.map;
        long p = FILE_HEADER;
        long last = p;
        while (p + RECORD_HEADER <= this.capacity) {
            int length = m.getInt((int) p);
            if (length > 0 && valid(m, p)) {
                if (m.getInt((int) p + 12) != ACKED) {
                    counts.unacked++;
                }
                p += align(RECORD_HEADER + (long) length);
                last = p;
                continue;
            }
            if (length < 0 && (-length & 7) == 0 && p - length <= this.capacity) {
                p -= length;
                last = p;
                continue;
            }
            long next = nextValid(m, p + 8);
            if (next < 0) {
                if (!zeros(m, p)) {
                    counts.torn++; // an append killed while copying: its capture never
                                   // returned
                }
                break;
            }
            INT.setRelease(m, (int) p, (int) -(next - p)); // repair the hole: skip it
            counts.torn++;
            p = next;
            last = p;
        }
        this.position.set(SEALED);
        this.end = last;
        this.syncedTo = last;
        m.force();
    }

    private boolean valid(ByteBuffer m, long p) {
        int length = m.getInt((int) p);
        int kind = m.getInt((int) p + 8);
        if ((kind != KIND_EVENT && kind != KIND_FLAGS) || length <= 0 || length > MAX_RECORD
                || p + RECORD_HEADER + length > this.capacity) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(m.duplicate().position((int) p + RECORD_HEADER).limit((int) p + RECORD_HEADER + length));
        return (int) crc.getValue() == m.getInt((int) p + 4);
    }

    private long nextValid(ByteBuffer m, long from) {
        for (long q = from; q + RECORD_HEADER <= this.capacity; q += 8) {
            int kind = m.getInt((int) q + 8);
            if ((kind == KIND_EVENT || kind == KIND_FLAGS) && valid(m, q)) {
                return q;
            }
        }
        return -1;
    }

    private boolean zeros(ByteBuffer m, long from) {
        for (long q = from; q + 8 <= this.capacity; q += 8) {
            if (m.getLong((int) q) != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ writers

    /**
     * Reserves {@code size} bytes.
     * @return the offset, or -1 when the segment is sealed or has no room
     */
    long reserve(int size) {
        while (true) {
            long p = this.position.get();
            if (p < 0 || p + size > this.capacity) {
                return -1;
            }
            if (this.position.compareAndSet(p, p + size)) {
                return p;
            }
        }
    }

    /**
     * Writes a reserved record and publishes it.
     */
    void write(long offset, int kind, byte @Nullable [] marker, byte[] json, int jsonLength) {
        MappedByteBuffer m = map();
        int o = (int) offset;
        int p = o + RECORD_HEADER;
        CRC32C crc = new CRC32C();
        int length = jsonLength;
        if (marker != null) {
            m.putInt(p, marker.length);
            m.put(p + 4, marker, 0, marker.length);
            crc.update(m.duplicate().position(p).limit(p + 4));
            crc.update(marker, 0, marker.length);
            p += 4 + marker.length;
            length += 4 + marker.length;
        }
        m.put(p, json, 0, jsonLength);
        crc.update(json, 0, jsonLength);
        m.putInt(o + 4, (int) crc.getValue());
        m.putInt(o + 8, kind);
        INT.setRelease(m, o, length);
    }

    /** Marks a reserved record as skipped (its append failed). */
    void abort(long offset, int size) {
        MappedByteBuffer m = this.map;
        if (m != null) {
            INT.setRelease(m, (int) offset, -size);
        }
    }

    /**
     * Seals the segment: no reservation succeeds after this.
     * @return where its records end
     */
    long seal() {
        long p = this.position.getAndSet(SEALED);
        if (p != SEALED) {
            this.end = p;
        }
        return this.end;
    }

    boolean isSealed() {
        return this.position.get() == SEALED;
    }

    /**
     * @return the end of the reserved space (the final end once sealed)
     */
    long reservedEnd() {
        long p = this.position.get();
        return (p == SEALED) ? this.end : p;
    }

    /**
     * @return how far the records are complete from {@code from}: the first record not
     * yet written, or the reserved end
     */
    long completeUpTo(long from) {
        long limit = reservedEnd();
        MappedByteBuffer m = map();
        long p = from;
        while (p + RECORD_HEADER <= limit) {
            int length = (int) INT.getAcquire(m, (int) p);
            if (length == 0) {
                return p;
            }
            p += (length > 0) ? align(RECORD_HEADER + (long) length) : -length;
        }
        return Math.min(p, limit);
    }

    // ------------------------------------------------------------------ readers

    /** A record read back. */
    record Entry(long next, @Nullable SpoolRecord record, boolean skipped, boolean corrupt) {
    }

    /**
     * Reads the record at {@code offset}.
     * @return the entry, or null when no complete record is there (yet)
     */
    @Nullable Entry readAt(long offset) {
        long limit = reservedEnd();
        if (offset + RECORD_HEADER > limit) {
            return null;
        }
        MappedByteBuffer m = map();
        int o = (int) offset;
        int length = (int) INT.getAcquire(m, o);
        if (length == 0) {
            return null;
        }
        if (length < 0) {
            return new Entry(offset - length, null, true, false);
        }
        long next = offset + align(RECORD_HEADER + (long) length);
        if (m.getInt(o + 12) == ACKED) {
            return new Entry(next, null, true, false); // acknowledged before a restart
        }
        byte[] payload = new byte[length];
        m.get(o + RECORD_HEADER, payload);
        int kind = m.getInt(o + 8);
        if (kind != KIND_EVENT && kind != KIND_FLAGS) {
            return new Entry(next, null, true, true);
        }
        if (this.recovered) {
            // written by an earlier process (checked by the scan, but the file may have
            // changed
            // since); what this process appended is read back from its own mapping
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != m.getInt(o + 4)) {
                return new Entry(next, null, true, true);
            }
        }
        byte[] marker = null;
        byte[] json = payload;
        if (kind == KIND_FLAGS) {
            int n = ByteBuffer.wrap(payload).getInt();
            if (n < 0 || n > length - 4) {
                return new Entry(next, null, true, true);
            }
            marker = java.util.Arrays.copyOfRange(payload, 4, 4 + n);
            json = java.util.Arrays.copyOfRange(payload, 4 + n, length);
        }
        String uuid = SpoolRecord.uuidOf(json);
        if (uuid == null) {
            return new Entry(next, null, true, true);
        }
        return new Entry(next, new SpoolRecord(this.id, offset, uuid, json, marker), false, false);
    }

    /**
     * Marks a record acknowledged in the file.
     * @return whether it was not acknowledged before
     */
    boolean ack(long offset) {
        MappedByteBuffer m = this.map;
        if (m == null || m.getInt((int) offset + 12) == ACKED) {
            return false;
        }
        m.putInt((int) offset + 12, ACKED);
        if (!this.ackDirty) {
            this.ackDirty = true; // written once, not per record: appends read this
                                  // object
        }
        return true;
    }

    // ------------------------------------------------------------------ syncer

    /**
     * Forces what was appended (and acknowledged) since the last call to disk.
     * @return whether anything was forced
     */
    synchronized boolean force() {
        MappedByteBuffer m = this.map;
        if (m == null) {
            return false;
        }
        boolean acks = this.ackDirty;
        long to = reservedEnd();
        if (to < 0) {
            return false;
        }
        if (acks) {
            this.ackDirty = false;
            m.force(FILE_HEADER, (int) to - FILE_HEADER);
        }
        else if (to > this.syncedTo) {
            m.force((int) this.syncedTo, (int) (to - this.syncedTo));
        }
        else {
            return false;
        }
        // what an append still writes is forced again next time
        this.syncedTo = completeUpTo(this.syncedTo);
        return true;
    }

    boolean hasUnforced() {
        long to = reservedEnd();
        return this.ackDirty || (to >= 0 && to > this.syncedTo);
    }

    /**
     * Waits until every reserved record is written (appends never block, so this is
     * short), at most until the deadline.
     * @return whether they all are
     */
    synchronized boolean awaitComplete(long deadlineNanos) {
        if (this.map == null) {
            return true;
        }
        long end = reservedEnd();
        while (completeUpTo(this.syncedTo) < end) {
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /** Unmaps the file (no access may follow) and deletes it. */
    synchronized void delete() throws IOException {
        unmap();
        Files.deleteIfExists(this.path);
    }

    /** Forces and unmaps (close). */
    synchronized void release() {
        MappedByteBuffer m = this.map;
        if (m != null) {
            try {
                m.force();
            }
            catch (RuntimeException ex) {
                // best effort: the page cache still has it
            }
            unmap();
        }
    }

    private void unmap() {
        MappedByteBuffer m = this.map;
        this.map = null;
        if (m != null) {
            Unmapper.unmap(m);
        }
    }

    private MappedByteBuffer map() {
        MappedByteBuffer m = this.map;
        if (m == null) {
            throw new IllegalStateException("spool segment " + this.id + " is closed");
        }
        return m;
    }

    /**
     * @return the end of the records once sealed, else -1
     */
    long end() {
        return this.end;
    }

}
