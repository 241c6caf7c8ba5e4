package io.github.posthog4j.client.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lets a WARN through at most once per period; the next one reports how many similar ones
 * were suppressed. Internal API.
 */
public final class WarnLimiter {

    private final Consumer<String> sink;

    private final long periodNanos;

    private final AtomicLong last;

    private final LongAdder suppressed = new LongAdder();

    /**
     * @param sink where the WARN goes (a logger, or a {@link DeferredLog} off the calling
     * thread)
     * @param periodNanos the shortest time between two WARNs
     */
    public WarnLimiter(Consumer<String> sink, long periodNanos) {
        this.sink = sink;
        this.periodNanos = periodNanos;
        this.last = new AtomicLong(System.nanoTime() - periodNanos);
    }

    /**
     * @param log where the WARN goes
     * @param periodNanos the shortest time between two WARNs
     */
    public WarnLimiter(Log log, long periodNanos) {
        this(log::warn, periodNanos);
    }

    /**
     * @param message the message
     */
    public void warn(String message) {
        warn(() -> message);
    }

    /**
     * @param message builds the message, only when it is let through
     */
    public void warn(Supplier<String> message) {
        long now = System.nanoTime();
        long prev = this.last.get();
        if (now - prev >= this.periodNanos && this.last.compareAndSet(prev, now)) {
            long skipped = this.suppressed.sumThenReset();
            String text = message.get();
            this.sink.accept((skipped > 0) ? text + " (" + skipped + " similar warnings suppressed)" : text);
        }
        else {
            this.suppressed.increment();
        }
    }

}
