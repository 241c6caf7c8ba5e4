package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.internal.otlp.OtlpRecord;
import io.github.posthog4j.client.internal.otlp.SignalSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The intake of the logs or traces pipeline: puts a record on the pipeline's queue, with
 * the overflow rule of its specification. Logs drop the <em>oldest</em> record to make
 * room (a log line stands alone, the newest say the most); traces refuse the
 * <em>incoming</em> span (queued spans may be parents of spans sent already). Either way
 * the drop is counted under {@code queue_full} and reported once per flush interval. When
 * the pipeline has a spool (logs with the spool on), records are appended to it instead,
 * as events are. Never blocks.
 */
final class SignalIntake implements SignalSink {

    /** What happens when the queue is full. */
    enum Overflow {

        /** The oldest queued record is dropped for the new one (logs). */
        DROP_OLDEST,

        /** The new record is dropped (traces). */
        DROP_NEWEST

    }

    private final DeliveryParts parts;

    private final BooleanSupplier closed;

    private final Overflow overflow;

    private final String kind;

    SignalIntake(DeliveryParts parts, BooleanSupplier closed, Overflow overflow, String kind) {
        this.parts = parts;
        this.closed = closed;
        this.overflow = overflow;
        this.kind = kind;
    }

    @Override
    public boolean offer(OtlpRecord record, long capturedAtMillis) {
        Drops drops = this.parts.drops();
        if (this.closed.getAsBoolean()) {
            drops.dropped(DropReason.CLOSED, 1, () -> "Dropped a " + this.kind + ": the PostHog client is closed");
            return false;
        }
        QueuedEvent e = new QueuedEvent(Uuid7.generate(capturedAtMillis).toString(), this.kind, null, capturedAtMillis,
                null, null, Collections.emptyMap(), false, null);
        e.signal = record;
        SpoolPump spool = this.parts.spool();
        if (spool != null) {
            return append(spool, e);
        }
        MemoryQueue queue = this.parts.queue();
        if (!queue.offer(e)) {
            if (this.overflow == Overflow.DROP_OLDEST) {
                List<QueuedEvent> oldest = new ArrayList<>(1);
                if (queue.drainTo(oldest, 1) == 1) {
                    drops.queueFull();
                    this.parts.stats().completed.increment();
                }
                if (!queue.offer(e)) {
                    drops.queueFull();
                    return false;
                }
            }
            else {
                drops.queueFull();
                return false;
            }
        }
        Stats stats = this.parts.stats();
        stats.captured.increment();
        if (this.closed.getAsBoolean() && queue.remove(e)) {
            // close() swept the queue between the check and the offer
            drops.counted(DropReason.CLOSED, 1);
            stats.completed.increment();
            return false;
        }
        this.parts.dispatcher().queued();
        return true;
    }

    /**
     * Spool mode (logs with {@code posthog.spool.enabled}): the record is serialised and
     * appended to the pipeline's spool before this returns, as events are. A full spool
     * refuses the new record ({@code spool_full}): dropping the oldest would mean
     * rewriting the spool on the caller's thread.
     */
    private boolean append(SpoolPump spool, QueuedEvent e) {
        SpoolPump.Outcome outcome = spool.append(e);
        if (outcome == SpoolPump.Outcome.STORED) {
            this.parts.stats().captured.increment();
            this.parts.dispatcher().queued();
            return true;
        }
        if (outcome == SpoolPump.Outcome.CLOSED) {
            this.parts.drops()
                .dropped(DropReason.CLOSED, 1, () -> "Dropped a " + this.kind + ": the PostHog client is closed");
        }
        return false;
    }

    @Override
    public void dropped(DropReason reason, int count) {
        this.parts.drops().counted(reason, count);
    }

    @Override
    public void dropped(DropReason reason, int count, Supplier<String> warning) {
        this.parts.drops().dropped(reason, count, warning);
    }

    @Override
    public void warnNow(String message) {
        this.parts.drops().warnNow(message);
    }

    @Override
    public void warn(DropReason reason, Supplier<String> message) {
        this.parts.drops().warn(reason, message);
    }

    @Override
    public void debug(Supplier<String> message) {
        this.parts.drops().debug(message);
    }

    @Override
    public void reportDropsIfDue() {
        PipelineLimits limits = this.parts.limits().get();
        this.parts.drops().reportQueueFull(limits.flushInterval().toNanos(), limits.maxQueueSize(), false);
    }

}
