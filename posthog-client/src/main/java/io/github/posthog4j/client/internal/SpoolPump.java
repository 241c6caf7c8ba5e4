package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.internal.spool.DiskSpool;
import io.github.posthog4j.client.internal.spool.SpoolLockedException;
import io.github.posthog4j.client.internal.spool.SpoolRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The durable spool's pump: the {@code posthog-spool} thread moves captured events from
 * the in-memory queue into the {@link DiskSpool}, forcing them to disk at least every
 * sync interval (group commit); consumers read their batches from the spool and
 * acknowledge what PostHog accepted or rejected for good. Owned by the client, like the
 * queue; the writer thread belongs to the engine.
 */
final class SpoolPump {

    private static final Log log = Log.CLIENT;

    private final DiskSpool spool;

    private final MemoryQueue staging;

    private final Supplier<ClientSettings> settings;

    private final Drops drops;

    private final IntConsumer resolved;

    private final Runnable synced;

    private final Consumer<QueuedEvent> lateFlags;

    private final EventSerializer serializer = new EventSerializer();

    /** Events taken from the staging queue and not yet stored or dropped. */
    private final AtomicLong transferring = new AtomicLong();

    /**
     * Events the writer stored or dropped; and how many of them a completed sync covers.
     */
    private final LongAdder accounted = new LongAdder();

    private final Object syncMonitor = new Object();

    private long syncedAccounted;

    private volatile long lastReadMillis = System.currentTimeMillis();

    /**
     * @param spool the open spool
     * @param staging the in-memory queue captures go to
     * @param settings the current settings
     * @param drops where drops are counted
     * @param resolved called with the number of events that reached a final state
     * (dropped here)
     * @param synced called after every sync (to wake consumers)
     * @param lateFlags adds the flag properties a capture asked for, before serialisation
     */
    SpoolPump(DiskSpool spool, MemoryQueue staging, Supplier<ClientSettings> settings, Drops drops,
            IntConsumer resolved, Runnable synced, Consumer<QueuedEvent> lateFlags) {
        this.spool = spool;
        this.staging = staging;
        this.settings = settings;
        this.drops = drops;
        this.resolved = resolved;
        this.synced = synced;
        this.lateFlags = lateFlags;
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
        DiskSpool opened;
        try {
            opened = DiskSpool.open(s.spoolDirectory(), s.spoolMaxBytes(),
                    Math.min(1024L * 1024, Math.max(64 * 1024, s.spoolMaxBytes() / 16)));
        }
        catch (SpoolLockedException | java.io.UncheckedIOException ex) {
            throw new PosthogConfigurationException("spoolDirectory", ex.getMessage());
        }
        if (opened.recovered() > 0 || opened.corruptRecords() > 0) {
            log.info("PostHog spool " + s.spoolDirectory() + ": " + opened.recovered()
                    + " events from a previous run will be delivered" + ((opened.corruptRecords() > 0)
                            ? "; skipped " + opened.corruptRecords() + " corrupt or torn records" : ""));
        }
        return opened;
    }

    /**
     * @return events on disk not yet read, plus those on their way there
     */
    long unread() {
        return this.spool.unread() + Math.max(0, this.transferring.get());
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
        List<SpoolRecord> records = this.spool.read(want, this.settings.get().maxBatchBytes() / 2);
        this.lastReadMillis = System.currentTimeMillis();
        if (records.isEmpty()) {
            return null;
        }
        List<QueuedEvent> events = new ArrayList<>(records.size());
        for (SpoolRecord r : records) {
            events.add(QueuedEvent.fromSpool(r));
        }
        return new Batch(events, 0);
    }

    /** Removes events from the spool once they are sent or dropped for good. */
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

    /**
     * The writer's loop: moves events from the staging queue into the spool, forcing them
     * to disk at least every sync interval, until {@code stopping}; then moves what is
     * left and syncs.
     */
    void writerLoop(BooleanSupplier stopping) throws InterruptedException {
        long syncNanos = this.settings.get().spoolSyncInterval().toNanos();
        long lastSync = System.nanoTime();
        List<QueuedEvent> chunk = new ArrayList<>(1024);
        boolean dirty = false;
        while (!stopping.getAsBoolean()) {
            QueuedEvent first = this.staging.poll(Math.max(1, syncNanos / 2), TimeUnit.NANOSECONDS);
            if (first != null) {
                chunk.add(first);
                this.staging.drainTo(chunk, 1023);
                dirty |= store(chunk);
                chunk.clear();
            }
            long now = System.nanoTime();
            if (dirty && (first == null || now - lastSync >= syncNanos)) {
                sync();
                lastSync = now;
                dirty = false;
            }
        }
        moveStaged();
    }

    /** Moves what is staged now (not what keeps arriving) into the spool and syncs. */
    void moveStaged() {
        List<QueuedEvent> chunk = new ArrayList<>(1024);
        int left = this.staging.size();
        while (left > 0 && this.staging.drainTo(chunk, Math.min(1024, left)) > 0) {
            left -= chunk.size();
            store(chunk);
            chunk.clear();
        }
        sync();
    }

    /**
     * Writes memory-only events that a flush or close took from the staging queue and
     * could not deliver.
     * @param events the events
     */
    void persist(List<QueuedEvent> events) {
        if (!events.isEmpty()) {
            store(events);
            sync();
        }
    }

    private void sync() {
        long covered = this.accounted.sum();
        this.spool.sync();
        synchronized (this.syncMonitor) {
            this.syncedAccounted = covered;
            this.syncMonitor.notifyAll();
        }
        this.synced.run();
    }

    /**
     * Serialises and appends; drops what cannot be serialised or does not fit. @return
     * whether any was stored
     */
    private boolean store(List<QueuedEvent> chunk) {
        ClientSettings s = this.settings.get();
        boolean stored = false;
        int full = 0;
        this.transferring.addAndGet(chunk.size());
        for (QueuedEvent e : chunk) {
            try {
                Written w = write(e, s);
                if (w == Written.STORED) {
                    stored = true;
                }
                else if (w == Written.FULL) {
                    full++;
                }
            }
            finally {
                this.transferring.decrementAndGet();
                this.accounted.increment();
            }
        }
        if (full > 0) {
            int n = full;
            this.drops.dropped(DropReason.SPOOL_FULL, n,
                    () -> "The PostHog spool in " + s.spoolDirectory() + " is full (" + s.spoolMaxBytes()
                            + " bytes): dropped " + n
                            + " events. Raise posthog.spool.max-bytes or check why PostHog is unreachable.");
            this.resolved.accept(n);
        }
        return stored;
    }

    /**
     * What became of one event: stored, dropped (counted already), or refused by a full
     * spool (counted by the caller).
     */
    private enum Written {

        STORED, DROPPED, FULL

    }

    private Written write(QueuedEvent e, ClientSettings s) {
        byte[] json = e.json;
        if (json == null) {
            if (e.flagsFor != null) {
                this.lateFlags.accept(e);
            }
            try {
                json = this.serializer.serialize(e, s.disableGeoip());
            }
            catch (EventSerializer.InvalidEventException ex) {
                dropOne(DropReason.INVALID,
                        () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid + "): " + ex.getMessage());
                return Written.DROPPED;
            }
        }
        if (json.length > s.maxEventBytes()) {
            int size = json.length;
            dropOne(DropReason.TOO_LARGE, () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid
                    + "): it is " + size + " bytes of JSON, over the limit of " + s.maxEventBytes() + " bytes");
            return Written.DROPPED;
        }
        try {
            return this.spool.append(e.uuid, json) ? Written.STORED : Written.FULL;
        }
        catch (RuntimeException ex) {
            // a disk error: counted, never lost silently; the writer carries on
            dropOne(DropReason.SPOOL_FULL, () -> "Dropped event '" + Texts.abbreviate(e.event) + "' (" + e.uuid
                    + "): the PostHog spool write failed: " + ex.getMessage());
            return Written.DROPPED;
        }
    }

    private void dropOne(DropReason reason, Supplier<String> warning) {
        this.drops.dropped(reason, 1, warning);
        this.resolved.accept(1);
    }

    /**
     * Waits until every event accepted so far is in the spool and forced to disk.
     * @param captured the number of events captured so far (the target)
     * @param timeout the longest wait
     * @return whether that happened in time
     */
    boolean awaitSpooled(long captured, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this.syncMonitor) {
            while (this.syncedAccounted < captured) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                this.syncMonitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    /**
     * @return events on disk (unread), for close's report
     */
    long onDisk() {
        return this.spool.unread();
    }

    void close() {
        this.spool.close();
    }

}
