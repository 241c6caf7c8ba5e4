package io.github.posthog4j.client.internal;

import java.util.Arrays;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Consecutive queued events kept as their serialised JSON in one large array, with their
 * uuids, names, capture times and size estimates in a few more: a handful of objects for
 * thousands of events, where each queued event is several. An idle helper consumer packs
 * the head of the in-memory queue this way while a request hangs
 * ({@link MemoryQueue#pack}), so that a long stall does not leave tens of thousands of
 * live events for every young collection to copy (the capture-latency stall test, issue
 * 17). The JSON array fills one G1 region less a kilobyte for its header ({@link #BYTES};
 * 4 MiB when the region size cannot be read): G1 allocates an array of half a region or
 * more in regions of its own, outside the young generation, and never copies it (an array
 * of exactly half a region would leave the other half empty). An event that cannot be
 * packed keeps its slot, whole, so a run is never cut short. A packed event counts
 * towards the queue's byte budget as its JSON and its {@value #INDEX_BYTES} bytes in the
 * other arrays ({@link #cost}). Taking an event back out gives an already serialised
 * {@link QueuedEvent}: its request carries the same bytes it would have serialised
 * itself. Adding an event allocates nothing. Guarded by the memory queue.
 */
final class PackedEvents {

    /**
     * The JSON array's size: one G1 region less a kilobyte; 0 when the regions are larger
     * than 32 MiB (packing is off then).
     */
    static final int BYTES = runBytes();

    /** Whether events are packed at all. */
    static final boolean ENABLED = BYTES > 0;

    /** The most events in one run (JSON of 256 bytes each fills both at once). */
    static final int EVENTS = Math.max(1, BYTES / 256);

    /**
     * A packed event's bytes besides its JSON: end, uuid, name, capture time, estimate.
     */
    static final int INDEX_BYTES = 4 + 16 + 4 + 8 + 4;

    /**
     * A run with less room than this left takes no more events: a larger event would be
     * kept whole.
     */
    static final int MIN_FREE_BYTES = BYTES / 32;

    /**
     * The events' JSON; empty until the first event to pack (a run of events kept whole
     * holds no JSON array).
     */
    private byte[] json = new byte[0];

    private int used;

    /** Where each event's JSON ends in {@link #json}. */
    private final int[] ends = new int[EVENTS];

    /** Each event's uuid as two longs (most, then least significant bits). */
    private final long[] uuids = new long[2 * EVENTS];

    /** Each event's name, for drop messages. */
    private final String[] names = new String[EVENTS];

    /** When each event was captured (the flush interval's clock). */
    private final long[] capturedAt = new long[EVENTS];

    /** Each event's packed cost ({@link #cost}), which the queue's byte budget counts. */
    private final int[] estimates = new int[EVENTS];

    /**
     * The events kept whole, by slot (allocated with the run: adding allocates nothing).
     */
    private final @Nullable QueuedEvent[] whole = new QueuedEvent[EVENTS];

    private int count;

    private int next;

    /**
     * @return the JVM's G1 region size (1 to 32 MiB) less a kilobyte, 0 for larger
     * regions (an array of 32 MiB would be copied like any young object); 4 MiB less a
     * kilobyte when it cannot be read (another JVM, or the management module absent)
     */
    static int runBytes() {
        long region = 4L * 1024 * 1024;
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotspot = java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long g1 = Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
            if (g1 > 32L * 1024 * 1024) {
                return 0;
            }
            if (g1 > 0) {
                region = Math.max(1024L * 1024, g1);
            }
        }
        catch (RuntimeException | LinkageError ex) {
            // not HotSpot, or no java.management: 4 MiB
        }
        return (int) region - 1024;
    }

    /**
     * Allocates the JSON array, before an event to pack leaves the linked queue.
     */
    void readyForJson() {
        if (this.json.length == 0) {
            this.json = new byte[BYTES];
        }
    }

    /**
     * @param json a packed event's JSON
     * @return the heap it holds packed: its JSON and its share of the other arrays
     */
    static int cost(byte[] json) {
        return json.length + INDEX_BYTES;
    }

    /**
     * @return whether the run takes another event
     */
    boolean hasRoom() {
        return this.count < EVENTS && BYTES - this.used >= MIN_FREE_BYTES;
    }

    /**
     * Appends the next event, packed, when its JSON fits (the run holds a JSON array once
     * {@link #readyForJson()} ran). Call only when {@link #hasRoom()}, for an event that
     * is {@link #packable(QueuedEvent)}.
     * @param e the event
     * @param j its JSON
     * @return false when it cannot be packed (nothing was added)
     */
    boolean add(QueuedEvent e, byte[] j) {
        if (j.length > this.json.length - this.used) {
            return false;
        }
        int i = this.count;
        if (!parseUuid(e.uuid, this.uuids, 2 * i)) {
            return false;
        }
        System.arraycopy(j, 0, this.json, this.used, j.length);
        this.used += j.length;
        this.ends[i] = this.used;
        this.names[i] = e.event;
        this.capturedAt[i] = e.capturedAtMillis;
        this.estimates[i] = cost(j);
        this.count++;
        return true;
    }

    /**
     * Appends the next event whole. Call only when {@link #hasRoom()}.
     * @param e the event
     */
    void addWhole(QueuedEvent e) {
        int i = this.count++;
        this.whole[i] = e;
        this.ends[i] = this.used;
        this.capturedAt[i] = e.capturedAtMillis;
    }

    /**
     * @return whether an event may be packed at all (checked before serialising it)
     */
    static boolean packable(QueuedEvent e) {
        return e.flagsFor == null && e.signal == null && e.record == null && parseUuid(e.uuid, null, 0);
    }

    /**
     * @return how many events are still in the run
     */
    int remaining() {
        return this.count - this.next;
    }

    /**
     * @return when the next event to take was captured; call only when
     * {@link #remaining()} is positive
     */
    long nextCapturedAtMillis() {
        return this.capturedAt[this.next];
    }

    /**
     * Takes the oldest event out.
     * @return it: serialised (only its uuid, name, capture time, JSON and estimate are
     * set), or the event itself when it was kept whole
     */
    QueuedEvent poll() {
        int i = this.next;
        QueuedEvent e = this.whole[i];
        if (e != null) {
            this.whole[i] = null;
        }
        else {
            // allocates: the slot is given up only once the event exists
            int start = (i == 0) ? 0 : this.ends[i - 1];
            String uuid = new UUID(this.uuids[2 * i], this.uuids[2 * i + 1]).toString();
            e = QueuedEvent.serialized(uuid, this.names[i], this.capturedAt[i],
                    Arrays.copyOfRange(this.json, start, this.ends[i]));
            e.estimatedBytes = this.estimates[i];
        }
        this.next = i + 1;
        return e;
    }

    /**
     * Reads a canonical lower-case uuid ({@code 8-4-4-4-12} ASCII hex digits) into two
     * longs, without allocating: exactly the strings that {@link UUID#toString()} gives
     * back unchanged.
     * @param s the uuid
     * @param into where to put the bits, or null only to check
     * @param at the index of the most significant long
     * @return false when it is not such a uuid
     */
    static boolean parseUuid(String s, long @Nullable [] into, int at) {
        if (s.length() != 36) {
            return false;
        }
        long msb = 0;
        long lsb = 0;
        int digits = 0;
        for (int k = 0; k < 36; k++) {
            char c = s.charAt(k);
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                if (c != '-') {
                    return false;
                }
                continue;
            }
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            }
            else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            }
            else {
                return false;
            }
            if (digits < 16) {
                msb = (msb << 4) | v;
            }
            else {
                lsb = (lsb << 4) | v;
            }
            digits++;
        }
        if (into != null) {
            into[at] = msb;
            into[at + 1] = lsb;
        }
        return true;
    }

}
