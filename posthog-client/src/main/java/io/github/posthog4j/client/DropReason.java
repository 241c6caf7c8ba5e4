package io.github.posthog4j.client;

import java.util.Locale;

/**
 * Why an event was dropped. Every dropped event is counted under exactly one reason.
 */
public enum DropReason {

    /** The bounded queue was full when the event was captured. */
    QUEUE_FULL,

    /**
     * The event was invalid: missing event name or distinct id, or properties that cannot
     * be serialised.
     */
    INVALID,

    /** The serialised event is larger than the per-event byte limit. */
    TOO_LARGE,

    /** A before-send hook returned null or threw. */
    BEFORE_SEND,

    /**
     * PostHog rejected the batch with a status that is not retried (400, 401, 403, a 413
     * of one event).
     */
    REJECTED,

    /** The durable spool was full (its {@code max-bytes}), or writing to it failed. */
    SPOOL_FULL,

    /**
     * Too many events of one kind in a short time (e.g. the same exception over and
     * over), or PostHog answered {@code limited} for them (capture v1: quota or ingestion
     * limits).
     */
    RATE_LIMITED,

    /**
     * The client was closed: captured after close, or still undelivered when the shutdown
     * timeout ran out.
     */
    CLOSED,

    /**
     * PostHog kept failing after the retries of a pipeline whose policy is to drop (never
     * the analytics or AI pipelines: they keep their batches and probe).
     */
    RETRIES_EXHAUSTED,

    /**
     * Tracing: a span was refused because {@code maxLiveSpans} spans were live, or a live
     * span was evicted after {@code maxSpanAge} (it is never sent).
     */
    SPAN_LIMIT,

    /**
     * Tracing: a span that was live when the application opted out ended while opted out
     * (the traces specification counts it as dropped; captures while opted out are not
     * counted).
     */
    OPTED_OUT;

    /**
     * Returns the lower-case name used in metric tags and logs, e.g. {@code queue_full}.
     * @return the tag value
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

}
