package io.github.posthog4j.client.internal;

import java.util.Arrays;
import java.util.UUID;

/**
 * Consecutive queued events kept as their serialised JSON in one large array, with their
 * uuids, names and size estimates in three more: a handful of objects for thousands of
 * events, where each queued event is several. An idle helper consumer packs the head of
 * the in-memory queue this way while a request hangs ({@link MemoryQueue#pack}), so that
 * a long stall does not leave tens of thousands of live events for every young collection
 * to copy (the capture-latency stall test, issue 17). The JSON array is {@value #BYTES}
 * bytes: G1 allocates an array of half a region or more (regions are 1 to 8 MiB up to a
 * 16 GiB heap) outside the young generation, and never copies it. Taking an event back
 * out gives an already serialised {@link QueuedEvent}: its request carries the same bytes
 * it would have serialised itself. Guarded by the memory queue.
 */
final class PackedEvents {

    /** The JSON array's size (larger only for one larger event). */
    static final int BYTES = 4 * 1024 * 1024;

    /** The most events in one run. */
    static final int EVENTS = 16 * 1024;

    private final byte[] json;

    private int used;

    /** Where each event's JSON ends in {@link #json}. */
    private final int[] ends;

    /** Each event's uuid as two longs (most, then least significant bits). */
    private final long[] uuids;

    /** Each event's name, for drop messages. */
    private final String[] names;

    /** Each event's heap estimate, which the queue's byte budget still counts. */
    private final int[] estimates;

    /** When the first event was captured (the flush interval's clock for them all). */
    final long capturedAtMillis;

    private int count;

    private int next;

    /**
     * A run that starts with an event.
     * @param first the event, {@link #packable(QueuedEvent) packable}
     * @param json its JSON
     */
    PackedEvents(QueuedEvent first, byte[] json) {
        this.json = new byte[Math.max(BYTES, json.length)];
        this.ends = new int[EVENTS];
        this.uuids = new long[2 * EVENTS];
        this.names = new String[EVENTS];
        this.estimates = new int[EVENTS];
        this.capturedAtMillis = first.capturedAtMillis;
        add(first, json);
    }

    /**
     * @param e a queued event
     * @return whether it can be packed: an analytics event that lives only in memory,
     * with nothing left to add on the delivery side (late flags) and a lower-case
     * canonical uuid (which its two longs give back unchanged)
     */
    static boolean packable(QueuedEvent e) {
        if (e.flagsFor != null || e.signal != null || e.record != null || !Uuid7.isCanonical(e.uuid)) {
            return false;
        }
        for (int i = 0; i < e.uuid.length(); i++) {
            if (Character.isUpperCase(e.uuid.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the next event, when there is room.
     * @param e the event, {@link #packable(QueuedEvent) packable}
     * @param j its JSON
     * @return false when the run is full (nothing was added)
     */
    boolean add(QueuedEvent e, byte[] j) {
        int i = this.count;
        if (i == EVENTS || this.used + j.length > this.json.length) {
            return false;
        }
        System.arraycopy(j, 0, this.json, this.used, j.length);
        this.used += j.length;
        this.ends[i] = this.used;
        UUID uuid = UUID.fromString(e.uuid);
        this.uuids[2 * i] = uuid.getMostSignificantBits();
        this.uuids[2 * i + 1] = uuid.getLeastSignificantBits();
        this.names[i] = e.event;
        this.estimates[i] = e.estimatedBytes;
        this.count++;
        return true;
    }

    /**
     * @return how many events are still packed
     */
    int remaining() {
        return this.count - this.next;
    }

    /**
     * Takes the oldest packed event out.
     * @return it, serialised; only its uuid, name, JSON and estimate are set
     */
    QueuedEvent poll() {
        int i = this.next++;
        int start = (i == 0) ? 0 : this.ends[i - 1];
        String uuid = new UUID(this.uuids[2 * i], this.uuids[2 * i + 1]).toString();
        QueuedEvent e = QueuedEvent.serialized(uuid, this.names[i], this.capturedAtMillis,
                Arrays.copyOfRange(this.json, start, this.ends[i]));
        e.estimatedBytes = this.estimates[i];
        return e;
    }

}
