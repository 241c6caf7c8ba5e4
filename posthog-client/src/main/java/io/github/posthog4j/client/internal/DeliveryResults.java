package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a delivery reports what became of a batch: sent (acknowledged by PostHog),
 * rejected for good, or a failed attempt. Keeps the counters, the spool and the outage
 * state in step.
 */
final class DeliveryResults {

    private final Dispatcher dispatcher;

    private final @Nullable SpoolPump spool;

    private final Stats stats;

    private final Drops drops;

    private final OutageBackoff backoff;

    DeliveryResults(Dispatcher dispatcher, @Nullable SpoolPump spool, Stats stats, Drops drops, OutageBackoff backoff) {
        this.dispatcher = dispatcher;
        this.spool = spool;
        this.stats = stats;
        this.drops = drops;
        this.backoff = backoff;
    }

    /** PostHog accepted the batch. */
    void sent(Batch b) {
        sent(b.events);
    }

    /**
     * PostHog accepted these events (all of a batch, or those it did not ask to retry).
     * An empty list still tells that PostHog answered.
     */
    void sent(List<QueuedEvent> events) {
        if (this.spool != null && !events.isEmpty()) {
            this.spool.ack(events);
        }
        int n = events.size();
        this.stats.sent.add(n);
        this.stats.lastSuccessMillis = System.currentTimeMillis();
        this.stats.consecutiveFailures.set(0);
        this.dispatcher.resolved(n, true);
        this.backoff.succeeded(this.dispatcher.pending());
    }

    /** An attempt failed; the batch is retried or handed back. */
    void failed(String error) {
        this.stats.consecutiveFailures.incrementAndGet();
        this.stats.lastError = error;
    }

    /**
     * Events that were taken for delivery are dropped for good (rejected, invalid, too
     * large).
     */
    void dropped(List<QueuedEvent> events, DropReason reason, Supplier<String> warning) {
        if (this.spool != null) {
            this.spool.ack(events);
        }
        this.drops.dropped(reason, events.size(), warning);
        this.dispatcher.resolved(events.size(), true);
    }

    /** A retry is about to happen. */
    void retrying() {
        this.stats.retries.increment();
    }

    /**
     * @return events waiting, for log messages
     */
    long pending() {
        return this.dispatcher.pending();
    }

}
