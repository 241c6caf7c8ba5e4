package io.github.posthog4j.client.internal.logs;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The logs rate cap: a tumbling window on the monotonic clock (a wall clock jumping
 * backwards cannot stretch or stall it) counting the records accepted in it; once the cap
 * is reached, records are refused until the window rolls over. Approximate under
 * contention at the window's edge (a few records may land in either window), never
 * blocking. Internal API.
 */
public final class RateCap {

    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());

    private final AtomicInteger accepted = new AtomicInteger();

    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param max the most records per window
     * @param windowNanos the window
     * @return whether a record may be accepted now (counted if so)
     */
    public boolean tryAcquire(int max, long windowNanos) {
        long now = System.nanoTime();
        long start = this.windowStart.get();
        if (now - start >= windowNanos && this.windowStart.compareAndSet(start, now)) {
            this.accepted.set(0);
            this.warned.set(false);
        }
        if (this.accepted.get() >= max) {
            return false;
        }
        return this.accepted.incrementAndGet() <= max;
    }

    /**
     * @return true once per window, for the first refused record (its WARN)
     */
    public boolean firstRefusal() {
        return this.warned.compareAndSet(false, true);
    }

}
