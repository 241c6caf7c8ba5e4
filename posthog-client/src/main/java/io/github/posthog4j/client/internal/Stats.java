package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.DropReason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The client's counters. Lock-free; safe from any thread. */
final class Stats {

    final LongAdder captured = new LongAdder();

    final LongAdder sent = new LongAdder();

    final LongAdder retries = new LongAdder();

    final LongAdder consumerRestarts = new LongAdder();

    /** Events found in the spool at start-up, left by a previous process. */
    final LongAdder recovered = new LongAdder();

    /**
     * Accepted events that reached a final state (sent or dropped after acceptance): what
     * flush waits for.
     */
    final LongAdder completed = new LongAdder();

    final AtomicInteger consumersActive = new AtomicInteger();

    final AtomicInteger consecutiveFailures = new AtomicInteger();

    private final LongAdder[] dropped = new LongAdder[DropReason.values().length];

    volatile long lastSuccessMillis;

    volatile String lastError;

    Stats() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    void dropped(DropReason reason, int count) {
        dropped[reason.ordinal()].add(count);
    }

    long dropped(DropReason reason) {
        return dropped[reason.ordinal()].sum();
    }

    Map<DropReason, Long> droppedByReason() {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            map.put(r, dropped[r.ordinal()].sum());
        }
        return map;
    }

    Instant lastSuccess() {
        long millis = lastSuccessMillis;
        return (millis == 0) ? null : Instant.ofEpochMilli(millis);
    }

}
