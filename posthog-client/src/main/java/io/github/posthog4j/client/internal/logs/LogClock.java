package io.github.posthog4j.client.internal.logs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The capture timestamps of log records: the wall clock's milliseconds times 1,000,000,
 * bumped by one nanosecond when a record would not be later than the previous one (two
 * records in the same millisecond keep their order). Lock-free. Internal API.
 */
public final class LogClock {

    private final AtomicLong last = new AtomicLong();

    /**
     * @param epochMillis the wall clock now
     * @return a timestamp in nanoseconds since the epoch, greater than any returned
     * before
     */
    public long next(long epochMillis) {
        long now = epochMillis * 1_000_000L;
        while (true) {
            long prev = this.last.get();
            long next = (now > prev) ? now : prev + 1;
            if (this.last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

}
