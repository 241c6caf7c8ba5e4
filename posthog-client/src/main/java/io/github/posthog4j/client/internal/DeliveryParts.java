package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The client-owned parts of one delivery pipeline, handed to each engine run and to
 * inline drains. They outlive every engine; the engine's own threads and HTTP clients do
 * not. Every pipeline ({@code events}, {@code ai}, later logs and traces) has parts of
 * its own, built the same way; what differs is its {@link PipelineSpec}.
 *
 * @param spec what makes the pipeline different (name, limits, wire protocol)
 * @param limits the pipeline's current limits
 * @param queue the pipeline's in-memory queue
 * @param settings the current settings
 * @param dispatcher gives out batches and takes back unfinished ones
 * @param results where deliveries report outcomes
 * @param backoff the outage state
 * @param requests where requests are reported
 * @param lateFlags adds flag properties a capture asked for, before serialisation
 * @param spool the spool pump, or null when the spool is off
 * @param stats the counters
 * @param drops the drop counter and its warnings
 */
record DeliveryParts(PipelineSpec spec, Supplier<PipelineLimits> limits, MemoryQueue queue,
        Supplier<ClientSettings> settings, Dispatcher dispatcher, DeliveryResults results, OutageBackoff backoff,
        RequestObserver requests, Consumer<QueuedEvent> lateFlags, @Nullable SpoolPump spool, Stats stats,
        Drops drops) {

    /**
     * Puts unfinished batches back at the head of the line; memory-only events that can
     * no longer go back (the client closed meanwhile) are counted as dropped.
     * @param batches the batches
     */
    void handBack(List<Batch> batches) {
        int orphaned = this.dispatcher.giveBack(batches);
        if (orphaned > 0) {
            this.drops.dropped(DropReason.CLOSED, orphaned, () -> "PostHog client closed while a delivery still held "
                    + orphaned + " undelivered events; they are dropped");
            this.dispatcher.resolved(orphaned, false);
        }
    }

    BatchSender sender(ClientSettings s, Transport transport) {
        return new BatchSender(this.spec, s, transport, this.results, this.backoff, this.requests, this.lateFlags);
    }

    /**
     * @return the pipeline's name
     */
    String name() {
        return this.spec.name();
    }

}
