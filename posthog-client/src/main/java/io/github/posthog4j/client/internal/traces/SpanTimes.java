package io.github.posthog4j.client.internal.traces;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Span timestamps: nanoseconds since the epoch within {@code [0, Long.MAX_VALUE]} (the
 * range PostHog can store: a value outside it makes PostHog reject the whole request).
 */
final class SpanTimes {

    /** PostHog clamps start times older than this to the time it received them. */
    static final long CLAMP_NANOS = TimeUnit.HOURS.toNanos(24);

    private SpanTimes() {
    }

    /**
     * @param instant a time, or null
     * @return its nanoseconds since the epoch, or -1 when it is null or out of range
     */
    static long toEpochNanos(@Nullable Instant instant) {
        if (instant == null || instant.getEpochSecond() < 0) {
            return -1;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (ArithmeticException ex) {
            return -1;
        }
    }

    /**
     * @return the wall clock now, in nanoseconds since the epoch (microsecond precision
     * where the JDK has it)
     */
    static long nowEpochNanos() {
        return nowEpochNanos(java.time.Clock.systemUTC());
    }

    /**
     * @param clock the wall clock
     * @return its time now, in nanoseconds since the epoch
     */
    static long nowEpochNanos(java.time.Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * @param epochNanos nanoseconds since the epoch
     * @return the instant
     */
    static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

}
