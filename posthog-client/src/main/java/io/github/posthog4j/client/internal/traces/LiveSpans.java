package io.github.posthog4j.client.internal.traces;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The live spans (started, not ended) and their bounds: at most {@code maxLiveSpans} at
 * once, none older than {@code maxSpanAge} on the monotonic clock since its handle was
 * created (a backdated start does not age a span, a wall-clock jump cannot rejuvenate
 * one). Eviction is lazy, at a span start, and only when the oldest live span may be past
 * the age bound (the creation time of the oldest is tracked), so that a full set of young
 * leaked spans costs a refused start nothing but a size check. An evicted span becomes a
 * no-op and is never sent.
 */
final class LiveSpans {

    private final Set<RecordingSpan> live = ConcurrentHashMap.newKeySet();

    /**
     * No later than the creation time of the oldest live span (monotonic): a sweep is due
     * once it is older than the age bound.
     */
    private final AtomicLong oldest = new AtomicLong(System.nanoTime());

    private final AtomicBoolean sweeping = new AtomicBoolean();

    /**
     * Admits a new span if the bounds allow, evicting spans past the age bound first.
     * @param maxLive the most live spans
     * @param maxAgeNanos the age bound
     * @param evicted called with the number of spans evicted (when any)
     * @return whether a span may start
     */
    boolean admit(int maxLive, long maxAgeNanos, IntConsumer evicted) {
        long now = System.nanoTime();
        if (now - this.oldest.get() >= maxAgeNanos && this.sweeping.compareAndSet(false, true)) {
            try {
                int n = sweep(now, maxAgeNanos);
                if (n > 0) {
                    evicted.accept(n);
                }
            }
            finally {
                this.sweeping.set(false);
            }
        }
        return this.live.size() < maxLive;
    }

    private int sweep(long now, long maxAgeNanos) {
        int n = 0;
        long min = now;
        for (RecordingSpan span : this.live) {
            long age = now - span.createdMonotonic;
            if (age >= maxAgeNanos && span.evict()) {
                this.live.remove(span);
                n++;
            }
            else if (span.createdMonotonic - min < 0) {
                min = span.createdMonotonic;
            }
        }
        this.oldest.set(min);
        return n;
    }

    void add(RecordingSpan span) {
        this.live.add(span);
        this.oldest.accumulateAndGet(span.createdMonotonic, (a, b) -> (b - a < 0) ? b : a);
    }

    void remove(RecordingSpan span) {
        this.live.remove(span);
    }

    /**
     * Evicts every live span (close).
     * @return how many
     */
    int evictAll() {
        int n = 0;
        for (RecordingSpan span : this.live) {
            if (span.evict()) {
                n++;
            }
            this.live.remove(span);
        }
        return n;
    }

    int size() {
        return this.live.size();
    }

}
