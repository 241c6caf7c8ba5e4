package io.github.posthog4j.client.internal.otlp;

import io.github.posthog4j.client.DropReason;
import java.util.function.Supplier;

/**
 * Where the logs and traces capture paths put accepted records: a pipeline's queue, and
 * its drop counters. Never blocks, never throws, never writes a log on the calling
 * thread. Internal API.
 */
public interface SignalSink {

    /**
     * Queues a record.
     * @param record the record
     * @param capturedAtMillis when it was accepted (for the flush interval)
     * @return whether it was queued (false: dropped and counted, e.g. a full queue)
     */
    boolean offer(OtlpRecord record, long capturedAtMillis);

    /**
     * Counts records dropped before they were queued, without a WARN of their own.
     * @param reason why
     * @param count how many
     */
    void dropped(DropReason reason, int count);

    /**
     * Counts records dropped before they were queued, with a rate-limited WARN (or, in a
     * pipeline that summarises its drops, in the next summary).
     * @param reason why
     * @param count how many
     * @param warning builds the WARN
     */
    void dropped(DropReason reason, int count, Supplier<String> warning);

    /**
     * Writes a WARN off the calling thread (the caller limits how often).
     * @param message the message (never a secret, never a payload)
     */
    void warnNow(String message);

    /**
     * Writes a WARN off the calling thread, at most once a second with the other WARNs of
     * the reason, without counting a drop.
     * @param reason the reason whose rate limit to share
     * @param message builds the message (never a secret, never a payload)
     */
    void warn(DropReason reason, Supplier<String> message);

    /**
     * Writes a DEBUG message off the calling thread, when the client's logger writes
     * DEBUG.
     * @param message builds the message (never a secret, never a payload)
     */
    void debug(Supplier<String> message);

    /** Writes the pipeline's drop summary if one is due (lazily, from capture paths). */
    void reportDropsIfDue();

}
