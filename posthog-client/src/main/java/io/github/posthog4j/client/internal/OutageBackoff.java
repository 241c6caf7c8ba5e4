package io.github.posthog4j.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The outage state of the delivery engine. When a batch has used its retries, the engine
 * stops draining and <em>probes</em>: one request at a time, the pause between probes
 * doubling from twice the initial retry backoff up to {@code maxProbeInterval},
 * lengthened by a {@code Retry-After} (within the same cap). The first success ends the
 * outage. Nothing is dropped for an outage: the batches wait at the head of the line.
 * Thread-safe.
 */
final class OutageBackoff {

    private static final Log log = Log.CLIENT;

    private final Supplier<PipelineLimits> settings;

    private final Runnable wakeConsumers;

    private volatile boolean active;

    private volatile long pausedUntilNanos;

    private volatile boolean probeNow;

    private long delayMillis;

    private final AtomicLong failedProbes = new AtomicLong();

    /**
     * @param settings the pipeline's current limits (probe intervals)
     * @param wakeConsumers signals waiting consumers (when the outage ends or a probe is
     * due at once)
     */
    OutageBackoff(Supplier<PipelineLimits> settings, Runnable wakeConsumers) {
        this.settings = settings;
        this.wakeConsumers = wakeConsumers;
    }

    /**
     * @return whether PostHog is considered unreachable (the engine probes instead of
     * draining)
     */
    boolean isActive() {
        return this.active;
    }

    /**
     * A batch used its retries: enters the outage (or extends it).
     * @param retryAfter the last response's {@code Retry-After}, or null
     * @param pendingEvents events waiting, for the log
     */
    synchronized void enter(@Nullable Duration retryAfter, long pendingEvents) {
        PipelineLimits s = this.settings.get();
        if (!this.active) {
            this.delayMillis = Math.min(s.probeInterval().toMillis(), s.maxProbeInterval().toMillis());
            this.probeNow = false;
            this.active = true;
            log.warn("PostHog is unreachable: pausing delivery and probing every " + this.delayMillis
                    + " ms or more (at most every " + s.maxProbeInterval() + "); " + pendingEvents
                    + " events stay queued, none is dropped for an outage");
        }
        pause(retryAfter, s);
    }

    /**
     * A probe failed with a retryable error: the next pause is longer.
     * @param retryAfter the response's {@code Retry-After}, or null
     */
    synchronized void probeFailed(@Nullable Duration retryAfter) {
        PipelineLimits s = this.settings.get();
        this.delayMillis = Math.min(Math.max(this.delayMillis, 1) * 2, s.maxProbeInterval().toMillis());
        pause(retryAfter, s);
        this.failedProbes.incrementAndGet();
    }

    private void pause(@Nullable Duration retryAfter, PipelineLimits s) {
        long wait = this.delayMillis;
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toMillis(), s.maxProbeInterval().toMillis()));
        }
        this.pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
    }

    /**
     * PostHog accepted a request: the outage is over.
     * @param pendingEvents events waiting, for the log
     */
    void succeeded(long pendingEvents) {
        if (!this.active) {
            return;
        }
        synchronized (this) {
            if (!this.active) {
                return;
            }
            this.active = false;
        }
        log.info("PostHog is reachable again: resuming delivery of " + pendingEvents + " queued events");
        this.wakeConsumers.run();
    }

    /**
     * Asks for a probe at once, if PostHog is considered unreachable now (a flush wants
     * to know now).
     */
    void probeSoon() {
        if (this.active) {
            this.probeNow = true;
        }
    }

    /**
     * @return nanoseconds until the next probe is due (0 or less: now)
     */
    long nanosUntilProbe() {
        return this.probeNow ? 0 : this.pausedUntilNanos - System.nanoTime();
    }

    /**
     * A consumer takes the probe that was due. The next one is due a full pause later (a
     * failed probe sets the pause again, a success ends the outage), so that other
     * consumers do not probe at the same time.
     */
    synchronized void probeTaken() {
        this.probeNow = false;
        this.pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(this.delayMillis, 1));
    }

    /**
     * @return how many probes failed so far (a flush stops waiting when this moves)
     */
    long failedProbes() {
        return this.failedProbes.get();
    }

}
