package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.internal.spool.DiskSpool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The spool's group commit: the {@code posthog-spool} thread forces what was appended to
 * disk every sync interval, and prepares the next segment files before appends need them.
 * It starts with the first append that finds it gone, lingers while there is work, ends
 * after a second with nothing to do, and ends at once on {@link #quiesce()} (stop and
 * close), after a last sync. So no thread outlives a stopped or closed client, and events
 * captured before the engine starts are forced too.
 */
final class SpoolSyncer {

    private static final Log log = Log.CLIENT;

    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DiskSpool disk;

    private final long intervalNanos;

    private final AtomicBoolean running = new AtomicBoolean();

    private volatile @Nullable Thread thread;

    private volatile boolean quiescing;

    private final Object synced = new Object();

    /** Appends covered by the last completed sync. Guarded by synced. */
    private long syncedAppends;

    SpoolSyncer(DiskSpool disk, Duration interval) {
        this.disk = disk;
        this.intervalNanos = Math.max(1, interval.toNanos());
    }

    /** After an append: makes sure a syncer runs (one volatile read when it does). */
    void appended() {
        if (!this.running.get() && !this.quiescing && this.running.compareAndSet(false, true)) {
            start();
        }
    }

    /** Asks the running syncer to prepare the next segment now. */
    void wake() {
        Thread t = this.thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        else {
            appended();
        }
    }

    private void start() {
        Thread t = new Thread(this::loop, "posthog-spool");
        t.setDaemon(true);
        t.setContextClassLoader(null);
        this.thread = t;
        t.start();
    }

    private void loop() {
        try {
            long idleSince = System.nanoTime();
            long lastSync = System.nanoTime();
            this.disk.prepare();
            while (!this.quiescing) {
                long wait = this.intervalNanos - (System.nanoTime() - lastSync);
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
                this.disk.prepare();
                if (System.nanoTime() - lastSync < this.intervalNanos && !this.quiescing) {
                    continue; // woken early to prepare a segment
                }
                lastSync = System.nanoTime();
                boolean forced = syncNow();
                this.disk.prepare(); // what appends used up while the force ran
                if (forced) {
                    idleSince = lastSync;
                }
                else if (lastSync - idleSince >= LINGER_NANOS) {
                    break;
                }
            }
        }
        catch (RuntimeException ex) {
            log.error("PostHog spool syncer failed; the next append starts a new one", ex);
        }
        finally {
            this.thread = null;
            this.running.set(false);
            // an append that came after the last check but saw the flag still set
            if (!this.quiescing && this.disk.hasUnsynced() && this.running.compareAndSet(false, true)) {
                start();
            }
        }
    }

    /**
     * Forces everything appended so far to disk, on the calling thread.
     * @return whether anything was forced
     */
    boolean syncNow() {
        long covered = this.disk.appended();
        boolean any = this.disk.sync();
        synchronized (this.synced) {
            this.syncedAppends = Math.max(this.syncedAppends, covered);
            this.synced.notifyAll();
        }
        return any;
    }

    /**
     * @return appends (since the spool was opened) that a completed sync covers
     */
    long syncedAppends() {
        synchronized (this.synced) {
            return this.syncedAppends;
        }
    }

    /**
     * Ends the syncer thread after a last sync (stop, close). A later append starts a new
     * one.
     */
    void quiesce() {
        this.quiescing = true;
        try {
            endThreadAndSync();
        }
        finally {
            this.quiescing = false;
        }
        if (this.disk.hasUnsynced()) {
            appended(); // an append that came while quiescing
        }
    }

    /** Ends the syncer for good (close). */
    void close() {
        this.quiescing = true;
        endThreadAndSync();
    }

    /**
     * Wakes the syncer thread (which ends while quiescing), waits for it, syncs once
     * more.
     */
    private void endThreadAndSync() {
        Thread t = this.thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        syncNow();
    }

}
