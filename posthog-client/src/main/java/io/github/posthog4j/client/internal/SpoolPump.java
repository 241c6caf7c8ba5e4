package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import io.github.posthog4j.client.internal.spool.SpoolLockedException;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of the durable spool. In spool mode a capture is serialised and
 * appended to the {@link DiskSpool} on the caller's thread before {@code capture} returns
 * (the page cache has it: a kill of the process cannot lose it); the {@link SpoolSyncer}
 * forces it to disk within the sync interval. Consumers read their batches from the spool
 * and acknowledge what PostHog accepted or rejected for good. Owned by the client, like
 * the queue; no engine thread is involved in writing.
 */
final class SpoolPump {

    private static final Log log = Log.CLIENT;

    private final DiskSpool spool;

    private final Supplier<ClientSettings> settings;

    private final Drops drops;

    private final SpoolSyncer syncer;

    private final Codec codec;

    private final SerializerPool serializers = new SerializerPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    private volatile long lastReadMillis = System.currentTimeMillis();

    /**
     * How a pipeline's records go into the spool and come back out of it. Every spooled
     * record starts with its uuid ({@code {"uuid":"...}), which the spool reads.
     */
    interface Codec {

        /** Analytics events: the capture v0 event JSON, as the spool always kept it. */
        Codec EVENTS = new Codec() {

            @Override
            public int write(QueuedEvent e, EventSerializer serializer, ClientSettings s)
                    throws EventSerializer.InvalidEventException {
                return serializer.serializeInPlace(e, s.disableGeoip());
            }

            @Override
            public QueuedEvent read(SpoolRecord r) {
                byte[] flags = r.flags();
                QueuedEvent e = (flags != null) ? SpooledFlags.decode(r, flags) : null;
                return (e != null) ? e : QueuedEvent.fromSpool(r);
            }

            @Override
            public int maxRecordBytes(ClientSettings s) {
                return s.maxEventBytes();
            }

            @Override
            public int maxBatchBytes(ClientSettings s) {
                return s.maxBatchBytes();
            }

            @Override
            public String carries() {
                return "events";
            }

        };

        /**
         * Serialises a record into the serialiser's buffer
         * ({@link EventSerializer#bytes()}).
         * @param e the record
         * @param serializer a serialiser of the pool
         * @param s the settings
         * @return the length written
         * @throws EventSerializer.InvalidEventException if it cannot be serialised
         */
        int write(QueuedEvent e, EventSerializer serializer, ClientSettings s)
                throws EventSerializer.InvalidEventException;

        /**
         * @param r a record read from the spool
         * @return the record as its pipeline delivers it ({@link QueuedEvent#json} set),
         * or null when it is not one of this pipeline's records
         */
        @Nullable QueuedEvent read(SpoolRecord r);

        /**
         * @param s the settings
         * @return the largest record
         */
        int maxRecordBytes(ClientSettings s);

        /**
         * @param s the settings
         * @return the pipeline's request size target
         */
        int maxBatchBytes(ClientSettings s);

        /**
         * @return what the pipeline carries, for messages ({@code events})
         */
        String carries();

    }

    /**
     * The events pipeline's spool.
     * @param spool the open spool
     * @param settings the current settings
     * @param drops where drops are counted
     */
    SpoolPump(DiskSpool spool, Supplier<ClientSettings> settings, Drops drops) {
        this(spool, settings, drops, Codec.EVENTS);
    }

    /**
     * @param spool the open spool
     * @param settings the current settings
     * @param drops where drops are counted
     * @param codec how the pipeline's records are spooled
     */
    SpoolPump(DiskSpool spool, Supplier<ClientSettings> settings, Drops drops, Codec codec) {
        this.spool = spool;
        this.settings = settings;
        this.drops = drops;
        this.codec = codec;
        this.syncer = new SpoolSyncer(spool, settings.get().spoolSyncInterval());
        spool.onHalfFull(this.syncer::wake);
    }

    /**
     * Opens the spool of the settings, or returns null when it is off.
     * @throws PosthogConfigurationException when the directory is locked by another
     * process or unusable
     */
    static @Nullable DiskSpool open(ClientSettings s) {
        if (s.spoolDirectory() == null) {
            return null;
        }
        return open(s.spoolDirectory(), s.spoolMaxBytes(), "events");
    }

    /**
     * Opens a spool.
     * @param dir its directory
     * @param maxBytes the most bytes its segment files may hold
     * @param carries what it holds, for messages ({@code events})
     * @return the spool
     * @throws PosthogConfigurationException when the directory is locked by another
     * process or unusable
     */
    static DiskSpool open(java.nio.file.Path dir, long maxBytes, String carries) {
        DiskSpool opened;
        try {
            opened = DiskSpool.open(dir, maxBytes, Math.min(4L * 1024 * 1024, Math.max(64 * 1024, maxBytes / 16)));
        }
        catch (SpoolLockedException | java.io.UncheckedIOException ex) {
            throw new PosthogConfigurationException("spoolDirectory", ex.getMessage());
        }
        if (opened.recovered() > 0 || opened.corruptRecords() > 0) {
            log.info("PostHog spool " + dir + ": " + opened.recovered() + " " + carries
                    + " from a previous run will be delivered" + ((opened.corruptRecords() > 0)
                            ? "; skipped " + opened.corruptRecords() + " corrupt or torn records" : ""));
        }
        if (!opened.ignoredFiles().isEmpty()) {
            log.warn("PostHog spool " + dir + ": left untouched " + opened.ignoredFiles().size()
                    + " segment files of another format (" + opened.ignoredFiles().get(0).getFileName() + ", ...)");
        }
        return opened;
    }

    // ---------------------------------------------------------------- capture side

    /** What became of a capture offered to the spool. */
    enum Outcome {

        /** On disk (in the page cache). */
        STORED,
        /** Dropped and counted here. */
        DROPPED,
        /** Refused because the spool is closed (the caller counts it). */
        CLOSED

    }

    /**
     * On the capturing thread: serialises the event and appends it. Never blocks on the
     * disk (a full spool drops the event), never throws, never logs on this thread.
     * @param e the event
     * @return what became of it
     */
    Outcome append(QueuedEvent e) {
        ClientSettings s = this.settings.get();
        EventSerializer serializer = this.serializers.acquire();
        DiskSpool.Appended result;
        try {
            int length;
            try {
                length = this.codec.write(e, serializer, s);
            }
            catch (EventSerializer.InvalidEventException ex) {
                this.drops.dropped(DropReason.INVALID, 1,
                        () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                return Outcome.DROPPED;
            }
            int max = this.codec.maxRecordBytes(s);
            if (length > max) {
                int size = length;
                this.drops.dropped(DropReason.TOO_LARGE, 1, () -> "Dropped event '" + Texts.abbreviate(e.event) + "' ("
                        + e.uuid + "): it is " + size + " bytes of JSON, over the limit of " + max + " bytes");
                return Outcome.DROPPED;
            }
            byte[] flags = (e.flagsFor != null) ? SpooledFlags.encode(e.flagsFor) : null;
            result = this.spool.append(serializer.bytes(), length, flags);
        }
        finally {
            this.serializers.release(serializer);
        }
        switch (result) {
            case STORED:
                this.syncer.appended();
                return Outcome.STORED;
            case CLOSED:
                return Outcome.CLOSED;
            case FULL:
                this.drops.spoolFull(Math.max(s.flushInterval().toNanos(), TimeUnit.SECONDS.toNanos(1)),
                        this::fullWarning);
                return Outcome.DROPPED;
            default:
                IOException failure = this.spool.lastFailure();
                this.drops.dropped(DropReason.SPOOL_FULL, 1, () -> "Dropped event '" + Texts.abbreviate(e.event) + "' ("
                        + e.uuid + "): the PostHog spool write failed: " + failure);
                return Outcome.DROPPED;
        }
    }

    /**
     * Writes memory-only events (handed to close by an older path) into the spool.
     * @param events the events
     * @return how many could not be stored
     */
    int persist(List<QueuedEvent> events) {
        int lost = 0;
        for (QueuedEvent e : events) {
            if (append(e) != Outcome.STORED) {
                lost++;
            }
        }
        return lost;
    }

    // ---------------------------------------------------------------- delivery side

    /**
     * @return events in the spool not yet read
     */
    long unread() {
        return this.spool.unread();
    }

    /**
     * @return when a consumer last read from the spool (for the flush interval)
     */
    long lastReadMillis() {
        return this.lastReadMillis;
    }

    /**
     * @return the next batch read from disk, or null when there is none
     */
    @Nullable Batch read(int maxEvents) {
        int want = (int) Math.min(maxEvents, Math.max(this.spool.unread(), 1));
        List<SpoolRecord> records = this.spool.read(want, this.codec.maxBatchBytes(this.settings.get()) / 2);
        this.lastReadMillis = System.currentTimeMillis();
        if (records.isEmpty()) {
            return null;
        }
        List<QueuedEvent> events = new ArrayList<>(records.size());
        List<SpoolRecord> foreign = null;
        for (SpoolRecord r : records) {
            QueuedEvent e = this.codec.read(r);
            if (e != null) {
                events.add(e);
            }
            else {
                foreign = (foreign != null) ? foreign : new ArrayList<>(1);
                foreign.add(r);
            }
        }
        if (foreign != null) {
            // not a record of this pipeline (a file put there by hand): never sent
            this.spool.ack(foreign);
            int n = foreign.size();
            this.drops.dropped(DropReason.INVALID, n, () -> "Skipped " + n + " records of the PostHog spool "
                    + this.spool.directory() + " that are not " + this.codec.carries());
        }
        return events.isEmpty() ? null : new Batch(events, 0);
    }

    /** Marks events delivered (or dropped for good) in the spool. */
    void ack(List<QueuedEvent> events) {
        List<SpoolRecord> records = new ArrayList<>(events.size());
        for (QueuedEvent e : events) {
            if (e.record != null) {
                records.add(e.record);
            }
        }
        if (!records.isEmpty()) {
            this.spool.ack(records);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Waits until every event appended so far is forced to disk (a test and shutdown
     * aid): forces them on the calling thread.
     * @param timeout the longest wait
     * @return whether that happened in time
     */
    boolean awaitSpooled(Duration timeout) throws InterruptedException {
        long target = this.spool.appended();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.syncer.syncedAppends() < target) {
            this.syncer.syncNow();
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (this.syncer.syncedAppends() < target) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
        return true;
    }

    /** Stop: a last sync, and the syncer thread ends. */
    void quiesce() {
        this.syncer.quiesce();
    }

    /**
     * @return events on disk (unread), for close's report
     */
    long onDisk() {
        return this.spool.unread();
    }

    /**
     * @return the spool's directory
     */
    java.nio.file.Path directory() {
        return this.spool.directory();
    }

    void close() {
        this.syncer.close();
        this.spool.close();
        this.drops.reportSpoolFull(0, this::fullWarning, true);
    }

    private String fullWarning(long dropped) {
        return "The PostHog spool in " + this.spool.directory() + " is full (" + this.spool.maxBytes()
                + " bytes): dropped " + dropped + " " + this.codec.carries()
                + " since the last report. PostHog may be unreachable or slower than capture: "
                + "raise posthog.spool.max-bytes or check posthog.host.";
    }

}
