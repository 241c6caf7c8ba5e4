package io.github.posthog4j.client.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logs a WARN at most once per period; the next WARN reports how many similar ones were
 * suppressed. Internal API.
 */
public final class WarnLimiter {

    private final Log log;

    private final long periodNanos;

    private final AtomicLong last;

    private final LongAdder suppressed = new LongAdder();

    /**
     * @param log where the warnings go
     * @param periodNanos the least time between two warnings
     */
    public WarnLimiter(Log log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
        this.last = new AtomicLong(System.nanoTime() - periodNanos);
    }

    /**
     * Logs the message unless one was logged less than a period ago.
     * @param message the message
     */
    public void warn(String message) {
        long now = System.nanoTime();
        long prev = last.get();
        if (now - prev >= periodNanos && last.compareAndSet(prev, now)) {
            long skipped = suppressed.sumThenReset();
            log.warn((skipped > 0) ? message + " (" + skipped + " similar warnings suppressed)" : message);
        }
        else {
            suppressed.increment();
        }
    }

}
