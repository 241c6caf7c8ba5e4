package io.github.posthog4j.client.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Writes WARN messages off the calling thread: a capturing thread only appends the
 * message to a bounded in-memory list, and a short-lived daemon thread
 * ({@code posthog-log}) writes it, then lingers a moment for more and ends. A logging
 * framework's first message can take tens of milliseconds (initialisation, class loading,
 * a slow appender); none of that reaches the caller. When more than {@value #MAX_PENDING}
 * messages wait, the newest are counted and reported instead of queued.
 * {@link #quiesce()} writes what is left on the calling thread and ends the writer (stop
 * and close call it, so no {@code posthog-*} thread outlives them).
 */
final class DeferredLog {

    static final int MAX_PENDING = 256;

    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Log log;

    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();

    private record Entry(System.Logger.Level level, String message) {
    }

    private final AtomicInteger size = new AtomicInteger();

    private final LongAdder overflow = new LongAdder();

    private final AtomicBoolean writing = new AtomicBoolean();

    private volatile @Nullable Thread writer;

    private volatile boolean quiescing;

    DeferredLog(Log log) {
        this.log = log;
    }

    /**
     * Queues a WARN; never blocks.
     * @param message the message (never a secret)
     */
    void warn(String message) {
        write(new Entry(System.Logger.Level.WARNING, message));
    }

    /**
     * Queues an INFO (diagnostics); never blocks.
     * @param message the message (never a secret)
     */
    void info(String message) {
        write(new Entry(System.Logger.Level.INFO, message));
    }

    /**
     * Queues a DEBUG message, if the client's logger writes DEBUG; never blocks.
     * @param message the message (never a secret)
     */
    void debug(String message) {
        if (this.log.isDebugEnabled()) {
            write(new Entry(System.Logger.Level.DEBUG, message));
        }
    }

    private void write(Entry entry) {
        if (this.size.incrementAndGet() > MAX_PENDING) {
            this.size.decrementAndGet();
            this.overflow.increment();
        }
        else {
            this.pending.add(entry);
        }
        if (!this.quiescing && this.writing.compareAndSet(false, true)) {
            startWriter();
        }
        else {
            Thread w = this.writer;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    private void startWriter() {
        Thread t = new Thread(this::writeLoop, "posthog-log");
        t.setDaemon(true);
        t.setContextClassLoader(null);
        this.writer = t;
        t.start();
    }

    private void writeLoop() {
        try {
            long idleSince = System.nanoTime();
            while (!this.quiescing) {
                if (writeAll()) {
                    idleSince = System.nanoTime();
                }
                else if (System.nanoTime() - idleSince >= LINGER_NANOS) {
                    break;
                }
                else {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
        finally {
            this.writer = null;
            this.writing.set(false);
            // a message that arrived after the last check but saw the flag still set
            if (!this.quiescing && !this.pending.isEmpty() && this.writing.compareAndSet(false, true)) {
                startWriter();
            }
        }
    }

    /**
     * @return whether anything was written
     */
    private boolean writeAll() {
        boolean any = false;
        Entry entry;
        while ((entry = this.pending.poll()) != null) {
            this.size.decrementAndGet();
            any = true;
            try {
                if (entry.level() == System.Logger.Level.WARNING) {
                    this.log.warn(entry.message());
                }
                else if (entry.level() == System.Logger.Level.INFO) {
                    this.log.info(entry.message());
                }
                else {
                    this.log.debug(entry.message());
                }
            }
            catch (RuntimeException ex) {
                // a failing logging back end must not end the writer or reach anybody
            }
        }
        long lost = this.overflow.sumThenReset();
        if (lost > 0) {
            any = true;
            this.log.warn(lost + " more PostHog client warnings were not written (more than " + MAX_PENDING
                    + " waited at once); the counters under posthog.events.dropped are complete");
        }
        return any;
    }

    /**
     * Writes every queued message on the calling thread and ends the writer thread. Later
     * messages start a new writer.
     */
    void quiesce() {
        this.quiescing = true;
        try {
            Thread w = this.writer;
            if (w != null) {
                LockSupport.unpark(w);
                try {
                    w.join(TimeUnit.SECONDS.toMillis(2));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            writeAll();
        }
        finally {
            this.quiescing = false;
        }
        if (!this.pending.isEmpty() && this.writing.compareAndSet(false, true)) {
            startWriter();
        }
    }

}
