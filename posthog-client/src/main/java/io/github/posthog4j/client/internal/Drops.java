package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every dropped event goes through here: counted under its {@link DropReason}, reported
 * to the listeners and logged at WARN (at most once a second per reason, off the calling
 * thread, never with the event's payload). Queue-full drops are summed and reported once
 * per flush interval instead.
 */
final class Drops {

    private final Stats stats;

    private final Listeners listeners;

    private final DeferredLog log;

    private final Map<DropReason, WarnLimiter> warnings = new EnumMap<>(DropReason.class);

    private final LongAdder queueFullSinceReport = new LongAdder();

    private final AtomicLong queueFullReportedAt = new AtomicLong(System.nanoTime());

    /** What the pipeline carries, for messages ({@code events}, {@code log records}). */
    private final String what;

    /** The property that sets the pipeline's queue capacity, for messages. */
    private final String queueSetting;

    /**
     * Drops since the last report, by reason, when drops are reported as one summary per
     * interval (the traces pipeline); null when each reason warns on its own.
     */
    private final LongAdder @Nullable [] summary;

    private final LongAdder spoolFullSinceReport = new LongAdder();

    /** When the spool-full WARN was last written (0: never, the first is at once). */
    private final AtomicLong spoolFullReportedAt = new AtomicLong();

    Drops(Stats stats, Listeners listeners, DeferredLog log) {
        this(stats, listeners, log, "events",
                "posthog.max-queue-bytes, posthog.max-queue-size or posthog.consumer-threads", false);
    }

    /**
     * @param stats the pipeline's counters
     * @param listeners the client's listeners
     * @param log where warnings are written
     * @param what what the pipeline carries, for messages (e.g. {@code spans})
     * @param queueSetting the property of the queue's capacity, for messages
     * @param summarize whether drops are reported as one WARN per interval naming the
     * count and the reasons ({@link #reportQueueFull}), instead of one WARN per reason
     */
    Drops(Stats stats, Listeners listeners, DeferredLog log, String what, String queueSetting, boolean summarize) {
        this.stats = stats;
        this.listeners = listeners;
        this.log = log;
        this.what = what;
        this.queueSetting = queueSetting;
        for (DropReason reason : DropReason.values()) {
            this.warnings.put(reason, new WarnLimiter(log::warn, TimeUnit.SECONDS.toNanos(1)));
        }
        if (summarize) {
            this.summary = new LongAdder[DropReason.values().length];
            for (int i = 0; i < this.summary.length; i++) {
                this.summary[i] = new LongAdder();
            }
        }
        else {
            this.summary = null;
        }
    }

    /**
     * Counts, notifies and warns.
     * @param reason why
     * @param count how many events
     * @param warning builds the WARN, when one is due
     */
    void dropped(DropReason reason, int count, Supplier<String> warning) {
        counted(reason, count);
        if (this.summary == null) {
            this.warnings.get(reason).warn(warning);
        }
    }

    /**
     * Counts and notifies, without a WARN of its own (the caller reports it otherwise).
     * @param reason why
     * @param count how many events
     */
    void counted(DropReason reason, int count) {
        this.stats.dropped(reason, count);
        this.listeners.dropped(reason, count);
        LongAdder[] s = this.summary;
        if (s != null) {
            s[reason.ordinal()].add(count);
        }
    }

    /**
     * A WARN written off the calling thread, as it is (the caller limits how often).
     * @param message the message (never a secret)
     */
    void warnNow(String message) {
        this.log.warn(message);
    }

    /**
     * A DEBUG message written off the calling thread, when DEBUG is on.
     * @param message builds the message (never a secret)
     */
    void debug(Supplier<String> message) {
        if (Log.CLIENT.isDebugEnabled()) {
            this.log.debug(message.get());
        }
    }

    /**
     * A WARN about something that is not a drop (an ignored uuid, a failing spool write),
     * rate-limited with the given reason's warnings.
     * @param reason the reason whose limiter to share
     * @param warning builds the WARN, when one is due
     */
    void warn(DropReason reason, Supplier<String> warning) {
        this.warnings.get(reason).warn(warning);
    }

    /**
     * A capture refused by a full queue: counted now, reported by
     * {@link #reportQueueFull}.
     */
    void queueFull() {
        counted(DropReason.QUEUE_FULL, 1);
        if (this.summary == null) {
            this.queueFullSinceReport.increment();
        }
    }

    /**
     * A capture refused by a full spool: counted now; a WARN with the count since the
     * last one at most once per interval (the first at once), and on
     * {@link #reportSpoolFull forced} reports.
     * @param intervalNanos the shortest time between two WARNs
     * @param warning builds the WARN from the number of drops it reports
     */
    void spoolFull(long intervalNanos, LongFunction<String> warning) {
        counted(DropReason.SPOOL_FULL, 1);
        this.spoolFullSinceReport.increment();
        reportSpoolFull(intervalNanos, warning, false);
    }

    /**
     * Writes the spool-full WARN if the interval passed (or {@code force}) and drops
     * happened since the last one.
     * @param intervalNanos the shortest time between two WARNs
     * @param warning builds the WARN from the number of drops it reports
     * @param force report now whatever the interval
     */
    void reportSpoolFull(long intervalNanos, LongFunction<String> warning, boolean force) {
        long now = System.nanoTime();
        long last = this.spoolFullReportedAt.get();
        if ((force || last == 0 || now - last >= intervalNanos) && this.spoolFullReportedAt.compareAndSet(last, now)) {
            long n = this.spoolFullSinceReport.sumThenReset();
            if (n > 0) {
                this.log.warn(warning.apply(n));
            }
        }
    }

    /**
     * Writes the queue-full WARN if the interval passed (or {@code force}), with the
     * count since the last one.
     * @param intervalNanos the shortest time between two reports
     * @param capacity the queue's capacity, for the message
     * @param force report now whatever the interval
     */
    void reportQueueFull(long intervalNanos, int capacity, boolean force) {
        long now = System.nanoTime();
        long last = this.queueFullReportedAt.get();
        if ((force || now - last >= intervalNanos) && this.queueFullReportedAt.compareAndSet(last, now)) {
            LongAdder[] s = this.summary;
            if (s != null) {
                reportSummary(s, capacity);
                return;
            }
            long n = this.queueFullSinceReport.sumThenReset();
            if (n > 0) {
                String queue = "events".equals(this.what) ? "queue" : this.what + " queue";
                this.log.warn("The PostHog " + queue + " is full (capacity " + capacity + ", or its heap budget): "
                        + "dropped " + n + " " + this.what + " since the last report. PostHog may be slow or "
                        + "unreachable, or capture outpaces delivery: raise " + this.queueSetting + ".");
            }
        }
    }

    private void reportSummary(LongAdder[] s, int capacity) {
        StringBuilder mix = new StringBuilder();
        long total = 0;
        for (DropReason reason : DropReason.values()) {
            long n = s[reason.ordinal()].sumThenReset();
            if (n > 0) {
                total += n;
                mix.append((mix.length() > 0) ? ", " : "").append(reason.tag()).append(' ').append(n);
            }
        }
        if (total > 0) {
            this.log.warn("PostHog dropped " + total + " " + this.what + " since the last report (" + mix
                    + "; queue capacity " + capacity + ", " + this.queueSetting + ")");
        }
    }

}
