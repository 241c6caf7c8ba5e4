package io.github.posthog4j.client.internal.exceptions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The storm guard: at most {@code maxPerMinute} events of one fingerprint in any sliding
 * minute (each fingerprint keeps the times of its last {@code maxPerMinute} events). At
 * most {@value #MAX_FINGERPRINTS} fingerprints are tracked, the least recently seen
 * forgotten first. Thread-safe. Internal API.
 */
public final class ExceptionRateLimiter {

    /** Fingerprints tracked at most. */
    public static final int MAX_FINGERPRINTS = 1000;

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int maxPerMinute;

    private final LongSupplier nanoClock;

    private final Map<Long, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Window> eldest) {
            return size() > MAX_FINGERPRINTS;
        }
    };

    /**
     * @param maxPerMinute events of one fingerprint allowed per minute, at least 1
     * @param nanoClock the clock ({@link System#nanoTime()} but in tests)
     */
    public ExceptionRateLimiter(int maxPerMinute, LongSupplier nanoClock) {
        this.maxPerMinute = Math.max(1, maxPerMinute);
        this.nanoClock = nanoClock;
    }

    /**
     * @return events of one fingerprint allowed per minute
     */
    public int maxPerMinute() {
        return this.maxPerMinute;
    }

    /**
     * Counts an event if its fingerprint is under the limit.
     * @param fingerprint the event's fingerprint
     * @return whether the event may be sent
     */
    public synchronized boolean tryAcquire(long fingerprint) {
        long now = this.nanoClock.getAsLong();
        Window w = this.windows.computeIfAbsent(fingerprint, (k) -> new Window(this.maxPerMinute));
        return w.tryAdd(now);
    }

    /** The times of the last events of one fingerprint, in a ring. */
    private static final class Window {

        private final long[] times;

        private int next;

        private int size;

        Window(int capacity) {
            this.times = new long[capacity];
        }

        boolean tryAdd(long now) {
            if (this.size == this.times.length) {
                // the oldest of the last N events is at the slot about to be reused
                if (now - this.times[this.next] < MINUTE) {
                    return false;
                }
            }
            else {
                this.size++;
            }
            this.times[this.next] = now;
            this.next = (this.next + 1) % this.times.length;
            return true;
        }

    }

}
